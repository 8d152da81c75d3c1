/**
 * The SQLite event store's writes as the disk lets them go. Fail-stop (PostgreSQL's fsync lesson): a
 * commit that fails with an I/O error may still be on disk (SQLite recovers the WAL frames at the next
 * open), so that batch's outcome is unknown and every later append is refused until the process
 * restarts; the outcome is then settled by the event ids. A full disk (SQLITE_FULL) writes nothing of
 * the batch, and a probe write every few seconds lifts it once space returns. The WAL is checkpointed
 * here, apart from commits (autocheckpoint is off): a checkpoint failing inside a commit's step made
 * a commit that succeeded report an error.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../../application/ports/logger.port.js';
import { StorageFailedError, StorageFullError, type WriteHealth } from '../../application/ports/storage-health.port.js';
import { sqliteCode, storageErrorKind } from '../shared/sqlite-errors.js';
import { isBusyError } from './sqlite.schema.js';

/** Commits between two WAL checkpoints (SQLite's own default is about every 1000 pages). */
const CHECKPOINT_EVERY = 100;

export class SqliteWriteHealth {
  private health: WriteHealth = { state: 'ok' };
  private probeTimer: NodeJS.Timeout | null = null;
  private commitsSinceCheckpoint = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly options: {
      /** One tiny write in its own transaction (the probe of a full disk). */
      probeWrite: () => void;
      /** Whether the store is writing right now (the probe then waits for the next tick). */
      busy: () => boolean;
      logger?: Logger;
      fullProbeMs: number;
    },
  ) {
    db.pragma('wal_autocheckpoint = 0');
  }

  get(): WriteHealth {
    return { ...this.health };
  }

  /** The refusal of an append while fail-stopped, or null. */
  refusal(): Error | null {
    return this.health.state === 'failed'
      ? new StorageFailedError(this.health.code ?? 'SQLITE_IOERR', 'not_written')
      : null;
  }

  /**
   * The error a failed batch's appends get: an I/O error stops all writes (fail-stop) and leaves the
   * outcome unknown; a full disk writes nothing. Null for other errors (passed on as they are).
   */
  failure(error: unknown): Error | null {
    const kind = storageErrorKind(error);
    const code = sqliteCode(error) ?? 'SQLITE_ERROR';
    if (kind === 'io') {
      this.failStop(code, 'commit');
      return new StorageFailedError(code, 'unknown');
    }
    if (kind === 'full') {
      this.diskFull(code);
      return new StorageFullError(code);
    }
    return null;
  }

  /** A batch committed: a full disk has space again. */
  committed(): void {
    this.commitsSinceCheckpoint += 1;
    if (this.health.state === 'full') this.spaceAgain();
  }

  /** Nothing queued: checkpoint when due. */
  idle(): void {
    if (this.commitsSinceCheckpoint >= CHECKPOINT_EVERY) this.checkpoint();
  }

  stop(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
  }

  private failStop(code: string, during: string): void {
    if (this.health.state === 'failed') return;
    this.health = { state: 'failed', code, since: new Date().toISOString() };
    this.stop();
    this.options.logger?.error(
      'event store write failed with an I/O error: no more writes are acknowledged until Rentlog is restarted (the outcome is settled by event ids then)',
      { code, during },
    );
  }

  private diskFull(code: string): void {
    if (this.health.state !== 'ok') return;
    this.health = { state: 'full', code, since: new Date().toISOString() };
    this.options.logger?.warn('event store disk is full: commands answer 503 STORAGE_FULL until space is freed', {
      code,
    });
    this.probeTimer = setInterval(() => this.probe(), this.options.fullProbeMs);
    this.probeTimer.unref();
  }

  private spaceAgain(): void {
    this.stop();
    const since = this.health.since;
    this.health = { state: 'ok' };
    this.options.logger?.info('event store disk has space again: writes resumed', { fullSince: since });
  }

  /** While the disk is full: one tiny write; when it commits, there is space again. */
  private probe(): void {
    if (this.health.state !== 'full' || this.options.busy() || !this.db.open) return;
    try {
      this.options.probeWrite();
      this.spaceAgain();
    } catch (error) {
      if (storageErrorKind(error) === 'io') this.failStop(sqliteCode(error)!, 'probe');
    }
  }

  /** WAL frames copied into the database file, apart from any commit; a failure is judged like a commit's. */
  private checkpoint(): void {
    this.commitsSinceCheckpoint = 0;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      const kind = storageErrorKind(error);
      if (kind === 'io') this.failStop(sqliteCode(error)!, 'checkpoint');
      else if (kind === 'full') this.diskFull(sqliteCode(error)!);
      else if (!isBusyError(error))
        this.options.logger?.warn('WAL checkpoint failed', { error: (error as Error).message });
    }
  }
}
