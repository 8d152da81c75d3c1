/**
 * A broken business rule: a stable code (declared in the area's `*.errors.ts`), a human detail, and
 * optional per-field or per-item problems. What the code means over HTTP (status, title) is said in
 * one place only: the API's error catalog.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    detail: string,
    readonly errors?: ReadonlyArray<Record<string, unknown>>,
    /** When asking again may succeed (a lockout that ends, say): the answer's `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
