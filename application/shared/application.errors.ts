import { DomainError } from '../../domain/shared/domain-error.js';

export const ApplicationErrors = {
  preconditionFailed: 'PRECONDITION_FAILED',
  concurrencyConflict: 'CONCURRENCY_CONFLICT',
  invalidCursor: 'INVALID_CURSOR',
  projectionNotFound: 'PROJECTION_NOT_FOUND',
  /** A point-in-time read model asked for and not built yet. */
  readModelNotReady: 'READ_MODEL_NOT_READY',
  documentNotFound: 'DOCUMENT_NOT_FOUND',
  /** A bounded resource (the password hashing pool) is full: retry shortly. */
  busy: 'SERVICE_BUSY',
  eventsTooLarge: 'EVENTS_TOO_LARGE',
  positionInvalid: 'POSITION_INVALID',
  streamDeleted: 'STREAM_DELETED',
  /** The event store failed a write with an I/O error: this process acknowledges no more writes until restarted. */
  storageFailed: 'STORAGE_FAILED',
  /** The event store's disk is full: nothing was written; writes resume when space is freed. */
  storageFull: 'STORAGE_FULL',
  /** Encrypted personal data failed authentication (a changed bit): refused, never shown. */
  personalDataUnreadable: 'PERSONAL_DATA_UNREADABLE',
  /** No job with that id (it never was, or it finished and was purged). */
  jobNotFound: 'JOB_NOT_FOUND',
  /** Only a dead job can be retried: this one is pending, running or done. */
  jobNotDead: 'JOB_NOT_DEAD',
} as const;

/** More work waiting for a bounded pool than it queues: refused at once instead of starving everything else. */
export class ServiceBusyError extends DomainError {
  constructor(what: string) {
    super(ApplicationErrors.busy, `Too many ${what} waiting; try again in a moment`);
    this.name = 'ServiceBusyError';
  }
}

/** The stream moved on since the revision the client sent in `If-Match`. */
export class PreconditionFailedError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: bigint,
    readonly actual: bigint | null,
  ) {
    super(
      ApplicationErrors.preconditionFailed,
      `The resource is at revision ${actual === null ? 'none' : String(actual)}, not ${String(expected)}`,
    );
    this.name = 'PreconditionFailedError';
  }
}

/** Contention that did not settle after retries; safe to retry the request. */
export class ConcurrencyError extends DomainError {
  constructor(readonly streamId: string) {
    super(
      ApplicationErrors.concurrencyConflict,
      `Stream ${streamId} kept changing while the command was decided; try again`,
    );
    this.name = 'ConcurrencyError';
  }
}
