import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RateLimitStore } from '../../application/ports/rate-limit.port.js';

/**
 * Rate-limit windows in a SQLite file of their own (every api process on the machine shares it). Each
 * hit is one atomic upsert under SQLite's write lock, so concurrent hits, also from other processes,
 * are counted exactly. Counters are not worth an fsync: after a crash a window may start afresh.
 */
export class SqliteRateLimitStore implements RateLimitStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<
    [{ key: string; now: number; window: number; hits: number }],
    { count: number; reset_at: number }
  >;
  private readonly select: Database.Statement<[string, number], { count: number; reset_at: number }>;
  private readonly purgeOld: Database.Statement<[number]>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, count INTEGER NOT NULL, reset_at INTEGER NOT NULL) WITHOUT ROWID',
    );
    this.upsert = this.db.prepare(
      `INSERT INTO windows (key, count, reset_at) VALUES (@key, @hits, @now + @window)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN reset_at <= @now THEN @hits ELSE count + @hits END,
         reset_at = CASE WHEN reset_at <= @now THEN @now + @window ELSE reset_at END
       RETURNING count, reset_at`,
    );
    this.select = this.db.prepare('SELECT count, reset_at FROM windows WHERE key = ? AND reset_at > ?');
    this.purgeOld = this.db.prepare('DELETE FROM windows WHERE reset_at <= ?');
  }

  async hit(key: string, windowMs: number, nowMs: number, hits = 1): Promise<{ count: number; resetAtMs: number }> {
    const row = this.upsert.get({ key, now: nowMs, window: windowMs, hits })!;
    return { count: row.count, resetAtMs: row.reset_at };
  }

  async peek(key: string, nowMs: number): Promise<{ count: number; resetAtMs: number } | null> {
    const row = this.select.get(key, nowMs);
    return row ? { count: row.count, resetAtMs: row.reset_at } : null;
  }

  async purge(nowMs: number): Promise<number> {
    return this.purgeOld.run(nowMs).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
