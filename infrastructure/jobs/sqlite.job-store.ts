import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  JobRecord,
  JobState,
  JobStore,
  NewJob,
  QueueCounts,
  RetryOutcome,
} from '../../application/ports/job-store.port.js';
import type { QueueName } from '../../application/shared/job.js';
import { EnqueueListeners } from './enqueue-listeners.js';

interface Row {
  id: string;
  type: string;
  queue: string;
  payload: string;
  state: string;
  attempts: number;
  run_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

const recordOf = (row: Row): JobRecord => ({
  id: row.id,
  type: row.type,
  queue: row.queue as QueueName,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  state: row.state as JobState,
  attempts: row.attempts,
  runAt: new Date(row.run_at),
  leaseOwner: row.lease_owner,
  leaseExpiresAt: date(row.lease_expires_at),
  lastError: row.last_error,
  createdAt: new Date(row.created_at),
  startedAt: date(row.started_at),
  finishedAt: date(row.finished_at),
});

/**
 * Jobs in a SQLite file of their own (`DATA_DIR/jobs.db`), shared by every worker on the machine.
 * A claim is one `UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING *` under SQLite's write lock,
 * so two workers (two processes on the file, too) never claim the same job; every transition names
 * the lease's owner, so a worker whose lease was taken over changes nothing. WAL with
 * `synchronous=FULL`: an acknowledged enqueue survives a power cut.
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly listeners = new EnqueueListeners();
  private readonly statements: ReturnType<SqliteJobStore['prepare']>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        queue TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        run_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS jobs_due ON jobs (queue, state, run_at);
      CREATE INDEX IF NOT EXISTS jobs_leases ON jobs (queue, state, lease_expires_at);
      CREATE INDEX IF NOT EXISTS jobs_type_started ON jobs (type, started_at);
      CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (state, finished_at);
    `);
    this.statements = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare<[NewJobRow]>(
        `INSERT INTO jobs (id, type, queue, payload, state, run_at, created_at)
         VALUES (@id, @type, @queue, @payload, 'pending', @run_at, @now) ON CONFLICT (id) DO NOTHING`,
      ),
      claim: db.prepare<[{ queue: string; owner: string; now: number; until: number }], Row>(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = @owner,
           lease_expires_at = @until, started_at = @now
         WHERE id = (
           SELECT id FROM (
             SELECT id, run_at FROM jobs WHERE queue = @queue AND state = 'pending' AND run_at <= @now
             UNION ALL
             SELECT id, run_at FROM jobs WHERE queue = @queue AND state = 'running' AND lease_expires_at <= @now
           ) ORDER BY run_at, id LIMIT 1
         )
         RETURNING *`,
      ),
      renew: db.prepare<[{ id: string; owner: string; until: number }]>(
        `UPDATE jobs SET lease_expires_at = @until WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
      ),
      complete: db.prepare<[{ id: string; owner: string; now: number }]>(
        `UPDATE jobs SET state = 'done', lease_owner = NULL, lease_expires_at = NULL, finished_at = @now
         WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
      ),
      retryLater: db.prepare<[{ id: string; owner: string; error: string; at: number }]>(
        `UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL, last_error = @error,
           run_at = @at WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
      ),
      bury: db.prepare<[{ id: string; owner: string; error: string; now: number }]>(
        `UPDATE jobs SET state = 'dead', lease_owner = NULL, lease_expires_at = NULL, last_error = @error,
           finished_at = @now WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
      ),
      release: db.prepare<[{ id: string; owner: string; now: number }]>(
        `UPDATE jobs SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL, run_at = @now,
           attempts = MAX(attempts - 1, 0) WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
      ),
      revive: db.prepare<[{ id: string; now: number }]>(
        `UPDATE jobs SET state = 'pending', attempts = 0, run_at = @now, finished_at = NULL
         WHERE id = @id AND state = 'dead'`,
      ),
      get: db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?'),
      counts: db.prepare<[], { queue: string; state: string; n: number }>(
        `SELECT queue, state, COUNT(*) AS n FROM jobs WHERE state IN ('pending', 'running', 'dead') GROUP BY queue, state`,
      ),
      dead: db.prepare<[number], Row>(`SELECT * FROM jobs WHERE state = 'dead' ORDER BY finished_at DESC, id LIMIT ?`),
      lastRun: db.prepare<[string], Row>(
        'SELECT * FROM jobs WHERE type = ? AND started_at IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT 1',
      ),
      purge: db.prepare<[number]>(`DELETE FROM jobs WHERE state = 'done' AND finished_at < ?`),
    };
  }

  async enqueue(job: NewJob, now: Date): Promise<{ created: boolean }> {
    const created =
      this.statements.insert.run({
        id: job.id,
        type: job.type,
        queue: job.queue,
        payload: JSON.stringify(job.payload),
        run_at: job.runAt.getTime(),
        now: now.getTime(),
      }).changes === 1;
    if (created) this.listeners.emit(job.queue);
    return { created };
  }

  async claim(queue: QueueName, owner: string, now: Date, leaseMs: number): Promise<JobRecord | null> {
    const row = this.statements.claim.get({ queue, owner, now: now.getTime(), until: now.getTime() + leaseMs });
    return row ? recordOf(row) : null;
  }

  async renew(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.statements.renew.run({ id, owner, until: now.getTime() + leaseMs }).changes === 1;
  }

  async complete(id: string, owner: string, now: Date): Promise<boolean> {
    return this.statements.complete.run({ id, owner, now: now.getTime() }).changes === 1;
  }

  async fail(id: string, owner: string, now: Date, error: string, retryAt: Date | null): Promise<boolean> {
    const changed =
      retryAt === null
        ? this.statements.bury.run({ id, owner, error, now: now.getTime() })
        : this.statements.retryLater.run({ id, owner, error, at: retryAt.getTime() });
    return changed.changes === 1;
  }

  async release(id: string, owner: string, now: Date): Promise<boolean> {
    const released = this.statements.release.run({ id, owner, now: now.getTime() }).changes === 1;
    const job = released ? this.statements.get.get(id) : undefined;
    if (job) this.listeners.emit(job.queue as QueueName);
    return released;
  }

  async retry(id: string, now: Date): Promise<RetryOutcome> {
    const job = this.statements.get.get(id);
    if (!job) return 'not_found';
    if (this.statements.revive.run({ id, now: now.getTime() }).changes !== 1) return 'not_dead';
    this.listeners.emit(job.queue as QueueName);
    return 'retried';
  }

  async get(id: string): Promise<JobRecord | null> {
    const row = this.statements.get.get(id);
    return row ? recordOf(row) : null;
  }

  async counts(): Promise<QueueCounts[]> {
    const byQueue = new Map<string, QueueCounts>();
    for (const { queue, state, n } of this.statements.counts.all()) {
      const counts = byQueue.get(queue) ?? { queue: queue as QueueName, pending: 0, running: 0, failed: 0 };
      if (state === 'pending') counts.pending = n;
      else if (state === 'running') counts.running = n;
      else counts.failed = n;
      byQueue.set(queue, counts);
    }
    return [...byQueue.values()];
  }

  async dead(limit: number): Promise<JobRecord[]> {
    return this.statements.dead.all(limit).map(recordOf);
  }

  async lastRun(type: string): Promise<JobRecord | null> {
    const row = this.statements.lastRun.get(type);
    return row ? recordOf(row) : null;
  }

  async purgeDone(before: Date): Promise<number> {
    return this.statements.purge.run(before.getTime()).changes;
  }

  onEnqueued(listener: (queue: QueueName) => void): () => void {
    return this.listeners.add(listener);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface NewJobRow {
  id: string;
  type: string;
  queue: string;
  payload: string;
  run_at: number;
  now: number;
}
