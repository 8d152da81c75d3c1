import path from 'node:path';
import Database from 'better-sqlite3';
import { secureDataFile } from './data-files.js';

/** The lock file in DATA_DIR: every process on the embedded stores holds it shared, a restore exclusively. */
export const LOCK_FILE = 'rentlog.lock';

/** DATA_DIR is held by another process in a way that excludes the lock asked for. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly wanted: 'shared' | 'exclusive',
  ) {
    super(
      wanted === 'exclusive'
        ? `A Rentlog process is using ${dataDir} (it holds ${LOCK_FILE}): stop every process on it first`
        : `${dataDir} is being restored (${LOCK_FILE} is held exclusively): start Rentlog once the restore has ended`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * Who uses DATA_DIR, told by an operating-system lock (POSIX advisory, through SQLite's locking of a
 * database file in rollback-journal mode): a process on the embedded stores keeps a read transaction
 * open on `rentlog.lock` (a SHARED lock, any number of holders); a restore takes it EXCLUSIVE, which
 * fails while anyone holds it shared, and makes everyone else's shared lock fail while it holds it. The
 * kernel drops a dead process's locks, so a crash or kill -9 never leaves a stale lock behind (unlike a
 * pid file). The file stays empty: it is never written.
 */
export class DataDirLock {
  private constructor(private readonly db: Database.Database) {}

  static shared(dataDir: string): DataDirLock {
    return DataDirLock.take(dataDir, 'shared');
  }

  static exclusive(dataDir: string): DataDirLock {
    return DataDirLock.take(dataDir, 'exclusive');
  }

  private static take(dataDir: string, mode: 'shared' | 'exclusive'): DataDirLock {
    const file = path.join(dataDir, LOCK_FILE);
    // A short wait for a shared lock: two processes starting at once briefly contend for the file.
    const db = new Database(file, { timeout: mode === 'shared' ? 2000 : 0 });
    secureDataFile(file);
    try {
      if (mode === 'exclusive') db.exec('BEGIN EXCLUSIVE');
      else {
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM sqlite_master').get(); // the read that takes the SHARED lock
      }
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new DataDirLockedError(dataDir, mode);
      throw error;
    }
    return new DataDirLock(db);
  }

  release(): void {
    if (this.db.open) this.db.close(); // ends the transaction, and with it the lock
  }
}
