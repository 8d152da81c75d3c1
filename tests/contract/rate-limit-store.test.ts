import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoRateLimitStore } from '../../infrastructure/rate-limit/mongo.rate-limit-store.js';
import { SqliteRateLimitStore } from '../../infrastructure/rate-limit/sqlite.rate-limit-store.js';
import { onMongo } from '../support/store-kinds.js';
import { rateLimitStoreContract } from './rate-limit-store.contract.js';

rateLimitStoreContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-rl-'));
  const store = new SqliteRateLimitStore(path.join(dir, 'rate-limits.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

onMongo('MongoDB rate-limit store contract suite', (url, ownDatabase) =>
  rateLimitStoreContract('MongoDB', async () => {
    const db = ownDatabase('rentlog_rl_');
    const store = await MongoRateLimitStore.connect(url, db.name);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await db.drop();
      },
    };
  }),
);

describe('SqliteRateLimitStore (SQLite only)', () => {
  it('counts together with every other process on the same file (one budget across api processes)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-rl2-'));
    const file = path.join(dir, 'rate-limits.db');
    const [a, b] = [new SqliteRateLimitStore(file), new SqliteRateLimitStore(file)];
    try {
      const counts = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).hit('shared', 60_000, 1_000)),
      );
      expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
