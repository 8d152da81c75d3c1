/**
 * Embedded event store on SQLite (better-sqlite3), WAL + synchronous=FULL.
 *
 * Group commit: appends made in the same tick are queued and written together in ONE
 * `BEGIN IMMEDIATE` transaction (one fsync), each inside its own SAVEPOINT so that a conflicting
 * append rolls back alone. Promises settle only after COMMIT. Several processes may share the file:
 * the write lock serializes them, and a stream's revision is read inside the write transaction.
 *
 * Fail-stop on I/O errors and a full disk that lifts by itself: sqlite.write-health.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import {
  InvalidPositionError,
  StreamDeletedError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../../application/ports/event-store.port.js';
import type { StorageHealth, WriteHealth } from '../../application/ports/storage-health.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { storageErrorKind } from '../shared/sqlite-errors.js';
import { DEFAULT_MAX_APPEND_BYTES } from './append-size.js';
import { SqliteWriteHealth } from './sqlite.write-health.js';
import { PollingSubscription } from './polling.subscription.js';
import { RecentEvents } from './recent-events.js';
import { appendInTransaction, serializeEvents, type AppendOutcome, type AppendRequest } from './sqlite.append.js';
import {
  MAX_REVISION,
  SCHEMA_SQL,
  isBusyError,
  limitOf,
  prepareStatements,
  rowToEvent,
  type Statements,
} from './sqlite.schema.js';

export interface SqliteEventStoreOptions {
  /** How often subscriptions look for appends made by other processes. Default 50 ms. */
  pollIntervalMs?: number;
  /** SQLite busy_timeout. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** The most one append may hold, counted as EventStoreDB counts it (append-size.ts). Default 1 MiB, its default. */
  maxAppendBytes?: number;
  /** Where fail-stop and a full disk are said (one error or warning line each). */
  logger?: Logger;
  /** How often a probe write checks whether a full disk has space again. Default 2000 ms. */
  fullProbeMs?: number;
  /**
   * Commits seen by other connections to the same file in this process (another thread's): `publish`
   * is called after each commit of this one, and `subscribe`'s listener wakes this store's
   * subscriptions at once instead of at their next poll (`start all`'s projector thread).
   */
  commits?: CommitSignal;
}

/** A signal between the event stores of one file in the threads of one process (bin/composition/projector-thread.ts). */
export interface CommitSignal {
  publish(): void;
  subscribe(listener: () => void): void;
}

export interface SqliteEventStoreStats {
  /** Write transactions committed (one per group commit). */
  transactions: number;
  /** Appends that wrote events. */
  appends: number;
}

interface PendingAppend extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = ({ ok: true } & AppendOutcome) | { ok: false; error: unknown };

const COMMITTED = 'committed';
const MAX_BUSY_RETRIES = 50;

export class SqliteEventStore implements EventStore, StorageHealth {
  private readonly db: Database.Database;
  private readonly stmts: Statements;
  private readonly notifier = new EventEmitter();
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pollIntervalMs: number;
  private readonly maxAppendBytes: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private readonly counters: SqliteEventStoreStats = { transactions: 0, appends: 0 };
  private readonly recent = new RecentEvents();
  private readonly writes: SqliteWriteHealth;
  private readonly commits?: CommitSignal;

  constructor(path: string, options: SqliteEventStoreOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.db = new Database(path);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');

    this.db.defaultSafeIntegers(true);
    this.db.exec(SCHEMA_SQL);
    this.stmts = prepareStatements(this.db);
    this.writes = new SqliteWriteHealth(this.db, {
      probeWrite: () => this.probeWrite(),
      busy: () => this.flushScheduled,
      logger: options.logger,
      fullProbeMs: options.fullProbeMs ?? 2000,
    });
    this.notifier.setMaxListeners(0);
    this.commits = options.commits;
    this.commits?.subscribe(() => this.notifier.emit(COMMITTED));
  }

  get stats(): SqliteEventStoreStats {
    return { ...this.counters };
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** How the writes fare: `failed` after an I/O error (until restart), `full` while the disk is full. */
  writeHealth(): WriteHealth {
    return this.writes.get();
  }

  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    const refusal = this.writes.refusal();
    if (refusal) return Promise.reject(refusal);
    let serialized: AppendRequest['events'];
    try {
      serialized = serializeEvents(streamId, events, this.maxAppendBytes);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events: serialized, expected: expectedRevision, resolve, reject });
      this.scheduleFlush();
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (this.stmts.isTombstoned.get(streamId)) throw new StreamDeletedError(streamId);
    const limit = limitOf(options.maxCount);
    const rows =
      options.direction === 'backwards'
        ? this.stmts.streamBackwards.all(streamId, options.fromRevision ?? MAX_REVISION, limit)
        : limit < 0
          ? this.stmts.streamForwardsAll.all(streamId, options.fromRevision ?? 0n)
          : this.stmts.streamForwards.all(streamId, options.fromRevision ?? 0n, limit);
    return rows.map(rowToEvent);
  }

  /** `after` is exclusive. Backwards: events strictly before `after` (from the end when omitted or 0n). */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = limitOf(options.maxCount);
    const after = this.checkPosition(options.after ?? 0n);
    const rows =
      options.direction === 'backwards'
        ? this.stmts.allBackwards.all(after > 0n ? after : MAX_REVISION, limit)
        : this.stmts.allForwards.all(after, limit);
    return rows.map(rowToEvent);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new Error('SqliteEventStore is closed');
    let checked = false;
    const subscription = new PollingSubscription(
      {
        readPage: (after, limit) => {
          if (!checked) {
            this.checkPosition(after); // the checkpoint must be a position of this log
            checked = true;
          }
          const cached = this.recent.take(after, limit);
          if (cached.length === limit) return cached;
          const from = cached.length > 0 ? cached[cached.length - 1].position : after;
          return cached.concat(
            this.recent.remember(this.stmts.allForwards.all(from, limit - cached.length).map(rowToEvent)),
          );
        },
        notifier: this.notifier,
        eventName: COMMITTED,
        pollIntervalMs: this.pollIntervalMs,
        isTransientError: isBusyError,
        onEnd: (s) => this.subscriptions.delete(s),
      },
      options.after ?? 0n,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.head();
  }

  /**
   * Tombstones a stream, as EventStoreDB's hard delete does: it can be neither read nor appended to
   * again; its events stay in the global log. Not part of the port (Rentlog never deletes a stream):
   * the contract suite uses it to check both adapters answer a deleted stream alike.
   */
  tombstone(streamId: string): void {
    this.assertOpen();
    this.stmts.tombstone.run(streamId, new Date().toISOString());
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.stmts.ping.get();
  }

  /** Waits for queued appends to commit, ends subscriptions, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.whenIdle();
    this.writes.stop();
    for (const subscription of [...this.subscriptions]) subscription.end();
    this.db.close();
  }

  private head(): bigint {
    return this.stmts.head.get()?.head ?? 0n;
  }

  /** Every position from 0 to the head is one this gap-free log gave out; any other is not. */
  private checkPosition(position: bigint): bigint {
    if (position < 0n || (position > 0n && position > this.head())) throw new InvalidPositionError(position);
    return position;
  }

  /** Reads keep working while close() drains the queue, until the database is closed. */
  private assertOpen(): void {
    if (!this.db.open) throw new Error('SqliteEventStore is closed');
  }

  private whenIdle(): Promise<void> {
    if (!this.flushScheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush(0));
  }

  private flush(attempt: number): void {
    const batch = this.queue;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.commitBatch(batch);
    } catch (error) {
      if (isBusyError(error) && attempt < MAX_BUSY_RETRIES) {
        this.queue = batch.concat(this.queue);
        setTimeout(() => this.flush(attempt + 1), Math.min(5 * (attempt + 1), 100));
        return;
      }
      const failure = this.writes.failure(error);
      for (const pending of batch) pending.reject(failure ?? error);
      this.afterFlush();
      return;
    }
    this.counters.transactions += 1;
    this.writes.committed();
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        if (outcome.wrote) this.counters.appends += 1;
        pending.resolve({ ...outcome.result, wrote: outcome.wrote });
      } else {
        pending.reject(outcome.error);
      }
    });
    this.notifier.emit(COMMITTED);
    this.commits?.publish();
    this.afterFlush();
  }

  private afterFlush(): void {
    this.flushScheduled = false;
    if (this.queue.length > 0) {
      this.scheduleFlush();
      return;
    }
    this.writes.idle();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The full-disk probe: one row rewritten in a transaction of its own. */
  private probeWrite(): void {
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.stmts.probe.run(new Date().toISOString());
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollbackQuietly();
      throw error;
    }
  }

  private rollbackQuietly(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // the connection already rolled back (SQLite does after an I/O error)
    }
  }

  /** One write transaction for the whole batch; throws (and rolls back) only on database failure. */
  private commitBatch(batch: PendingAppend[]): Outcome[] {
    const outcomes: Outcome[] = [];
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const recordedAt = new Date().toISOString();
      for (const pending of batch) {
        this.db.exec('SAVEPOINT append_one');
        try {
          outcomes.push({ ok: true, ...appendInTransaction(this.stmts, pending, recordedAt) });
          this.db.exec('RELEASE append_one');
        } catch (error) {
          // The disk failing fails the whole batch (the catch below rolls it back).
          if (isBusyError(error) || storageErrorKind(error) !== null) throw error;
          this.db.exec('ROLLBACK TO append_one');
          this.db.exec('RELEASE append_one');
          outcomes.push({ ok: false, error });
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollbackQuietly();
      throw error;
    }
    return outcomes;
  }
}

/** Opens (creating the parent directory if needed) a SQLite event store at `path`. */
export function openSqliteEventStore(path: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  return new SqliteEventStore(path, options);
}
