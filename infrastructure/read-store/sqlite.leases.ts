import type Database from 'better-sqlite3';
import { LeaseLostError, type Lease, type LeaseToken } from '../../application/ports/lease-store.port.js';

interface LeaseRow {
  name: string;
  holder: string;
  epoch: number;
  expires_at: number;
}

const toLease = (row: LeaseRow): Lease => ({
  name: row.name,
  holder: row.holder,
  epoch: row.epoch,
  expiresAt: row.expires_at,
});

/**
 * The leases of the SQLite read store (LeaseStore), in its own `_leases` table of the same file, so
 * that `check` runs inside the commit's transaction. Every change is one IMMEDIATE transaction:
 * processes on the same file take turns, and the first to write a free lease has it.
 */
export class SqliteLeases {
  private readonly get: Database.Statement;
  private readonly set: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS _leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL,
      epoch INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`);
    this.get = db.prepare('SELECT name, holder, epoch, expires_at FROM _leases WHERE name = ?');
    this.set = db.prepare(
      `INSERT INTO _leases (name, holder, epoch, expires_at) VALUES (@name, @holder, @epoch, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, epoch = excluded.epoch, expires_at = excluded.expires_at`,
    );
  }

  acquire(name: string, holder: string, now: number, ttlMs: number): Lease | null {
    return this.db
      .transaction((): Lease | null => {
        const row = this.get.get(name) as LeaseRow | undefined;
        if (row && row.holder !== holder && row.expires_at > now) return null;
        const lease = {
          name,
          holder,
          epoch: !row ? 1 : row.holder === holder ? row.epoch : row.epoch + 1,
          expiresAt: now + ttlMs,
        };
        this.set.run(lease);
        return lease;
      })
      .immediate();
  }

  renew(token: LeaseToken, now: number, ttlMs: number): Lease | null {
    return this.db
      .transaction((): Lease | null => {
        const row = this.get.get(token.name) as LeaseRow | undefined;
        if (!row || row.holder !== token.holder || row.epoch !== token.epoch) return null;
        const lease = { ...toLease(row), expiresAt: now + ttlMs };
        this.set.run(lease);
        return lease;
      })
      .immediate();
  }

  release(token: LeaseToken, forget: boolean): void {
    const match = 'name = @name AND holder = @holder AND epoch = @epoch';
    this.db
      .prepare(forget ? `DELETE FROM _leases WHERE ${match}` : `UPDATE _leases SET expires_at = 0 WHERE ${match}`)
      .run({ name: token.name, holder: token.holder, epoch: token.epoch });
  }

  list(prefix: string): Lease[] {
    const rows = this.db
      .prepare('SELECT name, holder, epoch, expires_at FROM _leases WHERE substr(name, 1, ?) = ? ORDER BY name')
      .all(prefix.length, prefix) as LeaseRow[];
    return rows.map(toLease);
  }

  prune(prefix: string, before: number): number {
    return this.db
      .prepare('DELETE FROM _leases WHERE substr(name, 1, ?) = ? AND expires_at < ?')
      .run(prefix.length, prefix, before).changes;
  }

  /** Inside a commit's transaction: throws LeaseLostError unless the token still holds. */
  check(token: LeaseToken): void {
    const row = this.get.get(token.name) as LeaseRow | undefined;
    if (!row || row.holder !== token.holder || row.epoch !== token.epoch)
      throw new LeaseLostError(token, row ? { holder: row.holder, epoch: row.epoch } : null);
  }
}
