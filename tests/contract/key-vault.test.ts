import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MongoKeyVault } from '../../infrastructure/key-vault/mongo.key-vault.js';
import { MasterKeyring, parseMasterKey } from '../../infrastructure/key-vault/master-keys.js';
import { SqliteKeyVault } from '../../infrastructure/key-vault/sqlite.key-vault.js';
import { onMongo } from '../support/store-kinds.js';
import { keyVaultContract } from './key-vault.contract.js';

keyVaultContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-kv-'));
  return {
    open: async (masters) => new SqliteKeyVault(path.join(dir, 'keys.db'), masters),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

onMongo('MongoDB key vault contract suite', (url, ownDatabase) =>
  keyVaultContract('MongoDB', async () => {
    const db = ownDatabase('rentlog_kv_');
    return { open: (masters) => MongoKeyVault.connect(url, db.name, masters), cleanup: db.drop };
  }),
);

describe('SqliteKeyVault (SQLite only)', () => {
  it('leaves no copy of a destroyed key in its file or its WAL, and keeps them to the owner (0600)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-kv2-'));
    const file = path.join(dir, 'keys.db');
    const vault = new SqliteKeyVault(file, new MasterKeyring(parseMasterKey(randomBytes(32).toString('hex'))));
    try {
      const subjects = Array.from({ length: 20 }, () => `customer:${randomUUID()}`);
      for (const s of subjects) await vault.key(s);
      const spy = new Database(file, { readonly: true });
      const row = spy.prepare('SELECT wrapped FROM data_keys WHERE subject = ?').get(subjects[7]) as {
        wrapped: Buffer;
      };
      spy.close();
      const wrapped = row.wrapped;
      await vault.destroy(subjects[7]);
      const files = readdirSync(dir).map((f) => path.join(dir, f));
      for (const f of files) {
        expect(readFileSync(f).includes(wrapped)).toBe(false);
        expect(statSync(f).mode & 0o077).toBe(0);
      }
      expect(await vault.peek(subjects[8])).toMatchObject({ status: 'active' });
    } finally {
      await vault.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
