import { StorageFailedError, StorageFullError } from '../../application/ports/storage-health.port.js';

/**
 * What a failed SQLite write says about the disk: `io` for an I/O error (SQLITE_IOERR_*: EIO on a
 * write or an fsync; after one, pages the kernel dropped may be gone, so nothing written since can be
 * trusted), `full` for no space (SQLITE_FULL: ENOSPC on a write), null for anything else.
 */
export function storageErrorKind(error: unknown): 'io' | 'full' | null {
  const code = sqliteCode(error);
  if (code === undefined) return null;
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return null;
}

export const sqliteCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The typed error (a 503 with Retry-After) for a write the disk failed, or the error itself. */
export function asStorageError(error: unknown, store: 'event store' | 'read store'): unknown {
  const kind = storageErrorKind(error);
  if (kind === 'io') return new StorageFailedError(sqliteCode(error)!, 'unknown', store);
  if (kind === 'full') return new StorageFullError(sqliteCode(error)!, store);
  return error;
}
