/** The stream moved on since the revision the client sent in `If-Match`. */
export class PreconditionFailedError extends Error {
  readonly code = 'PRECONDITION_FAILED';
  constructor(
    readonly streamId: string,
    readonly expected: bigint,
    readonly actual: bigint | null,
  ) {
    super(`The resource is at revision ${actual === null ? 'none' : String(actual)}, not ${String(expected)}`);
    this.name = 'PreconditionFailedError';
  }
}

/** Contention that did not settle after retries; safe to retry the request. */
export class ConcurrencyError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} kept changing while the command was decided; try again`);
    this.name = 'ConcurrencyError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}
