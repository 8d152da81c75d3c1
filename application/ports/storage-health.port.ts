import { DomainError } from '../../domain/shared/domain-error.js';
import { ApplicationErrors } from '../shared/application.errors.js';

export const STORAGE_HEALTH = Symbol('StorageHealth');

type Store = 'event store' | 'read store';

/**
 * How the event store's writes fare. `failed`: a write failed with an I/O error (EIO on fsync or
 * write); whether its batch reached the disk is unknown, and, as PostgreSQL does since its fsync
 * lesson, the process then acknowledges no more writes until it is restarted (a restart reads what
 * the disk holds; the outcome is settled by event ids). `full`: the disk is full; nothing of the
 * failed batch was written, and writes resume by themselves once space is freed.
 */
export interface WriteHealth {
  state: 'ok' | 'full' | 'failed';
  /** Which store: the event store (the truth, which fail-stops) or the read store (rebuilt from it). */
  store?: Store;
  /** The store's error code (`SQLITE_IOERR_FSYNC`, `SQLITE_FULL`, ...). */
  code?: string;
  /** When the state began (ISO 8601). */
  since?: string;
}

export interface StorageHealth {
  /** The worst of the stores' write health (the event store's first). */
  writeHealth(): WriteHealth;
}

/** The outcome of a write that failed this way: not written, or unknown until settled by its event ids. */
export type WriteOutcome = 'not_written' | 'unknown';

/**
 * A write the disk failed with an I/O error: a 503 with Retry-After. On the event store, the process
 * then refuses every write until it is restarted (fail-stop), and `outcome` says whether this one may
 * have been recorded.
 */
export class StorageFailedError extends DomainError {
  constructor(
    readonly storeCode: string,
    readonly outcome: WriteOutcome,
    readonly store: Store = 'event store',
  ) {
    super(
      ApplicationErrors.storageFailed,
      outcome === 'unknown'
        ? `The ${store} failed to write (an I/O error); whether this change was recorded is not known yet. Retry with the same Idempotency-Key: the retry answers the first outcome`
        : 'The event store stopped taking writes after an I/O error (until the service restarts); nothing was recorded. Retry with the same Idempotency-Key',
    );
    this.name = 'StorageFailedError';
  }
}

/** The disk under a store is full: nothing was recorded; retry later. */
export class StorageFullError extends DomainError {
  constructor(
    readonly storeCode: string,
    readonly store: Store = 'event store',
  ) {
    super(
      ApplicationErrors.storageFull,
      `The ${store} has no space left: nothing was recorded. Retry later with the same Idempotency-Key`,
    );
    this.name = 'StorageFullError';
  }
}
