import Database from 'better-sqlite3';
import type { DataKey, KeyVault } from '../../application/ports/key-vault.port.js';
import { secureDataFile } from '../shared/data-files.js';
import { newDataKey, type MasterKeyring } from './master-keys.js';

interface Row {
  subject: string;
  master_key_id: string | null;
  wrapped: Buffer | null;
}

/**
 * Data keys in a SQLite file of their own beside the event store (`keys.db`), wrapped by the master
 * key. `secure_delete` zeroes a destroyed key's bytes in the file, and the WAL is checkpointed and
 * truncated after each destruction, so no copy of the wrapped key is left in the WAL either.
 */
export class SqliteKeyVault implements KeyVault {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[{ subject: string; id: string; wrapped: Buffer; at: string }]>;
  private readonly select: Database.Statement<[string], Row>;
  private readonly tombstone: Database.Statement<[{ subject: string; at: string }]>;

  constructor(
    private readonly file: string,
    private readonly masters: MasterKeyring,
  ) {
    this.db = new Database(file);
    secureDataFile(file);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      subject TEXT PRIMARY KEY, master_key_id TEXT, wrapped BLOB, created_at TEXT NOT NULL, destroyed_at TEXT
    ) WITHOUT ROWID`);
    this.insert = this.db.prepare(
      `INSERT INTO data_keys (subject, master_key_id, wrapped, created_at) VALUES (@subject, @id, @wrapped, @at)
       ON CONFLICT (subject) DO NOTHING`,
    );
    this.select = this.db.prepare('SELECT subject, master_key_id, wrapped FROM data_keys WHERE subject = ?');
    this.tombstone = this.db.prepare(
      `INSERT INTO data_keys (subject, master_key_id, wrapped, created_at, destroyed_at) VALUES (@subject, NULL, NULL, @at, @at)
       ON CONFLICT (subject) DO UPDATE SET master_key_id = NULL, wrapped = NULL, destroyed_at = coalesce(destroyed_at, @at)`,
    );
  }

  async key(subject: string): Promise<Extract<DataKey, { status: 'active' | 'destroyed' }>> {
    const found = await this.peek(subject);
    if (found.status !== 'absent') return found;
    const { masterKeyId, wrapped } = this.masters.wrap(subject, newDataKey());
    this.insert.run({ subject, id: masterKeyId, wrapped, at: new Date().toISOString() });
    const made = await this.peek(subject); // the one that won, when another process made one at the same time
    if (made.status === 'absent') throw new Error(`The data key of ${subject} was not stored`);
    return made;
  }

  async peek(subject: string): Promise<DataKey> {
    const row = this.select.get(subject);
    if (!row) return { status: 'absent' };
    if (!row.wrapped || !row.master_key_id) return { status: 'destroyed' };
    return { status: 'active', key: this.masters.unwrap(subject, row.master_key_id, row.wrapped) };
  }

  async destroy(subject: string): Promise<void> {
    this.tombstone.run({ subject, at: new Date().toISOString() });
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async rewrap(): Promise<number> {
    const stale = this.db
      .prepare<[string], Row>(
        'SELECT subject, master_key_id, wrapped FROM data_keys WHERE wrapped IS NOT NULL AND master_key_id <> ?',
      )
      .all(this.masters.current.id);
    const update = this.db.prepare<[string, Buffer, string]>(
      'UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE subject = ?',
    );
    this.db.transaction(() => {
      for (const row of stale) {
        const { masterKeyId, wrapped } = this.masters.wrap(
          row.subject,
          this.masters.unwrap(row.subject, row.master_key_id!, row.wrapped!),
        );
        update.run(masterKeyId, wrapped, row.subject);
      }
    })();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return stale.length;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  toString(): string {
    return `sqlite:${this.file}`;
  }
}
