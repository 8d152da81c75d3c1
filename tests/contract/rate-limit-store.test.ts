import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RateLimitStore } from '../../application/ports/rate-limit.port.js';
import { CoalescedRateLimitStore } from '../../infrastructure/rate-limit/coalesced.rate-limit-store.js';
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

// As the composition root uses it: concurrent hits on one key in one write.
rateLimitStoreContract('SQLite, hits coalesced', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-rlc-'));
  const store = new CoalescedRateLimitStore(new SqliteRateLimitStore(path.join(dir, 'rate-limits.db')));
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

describe('CoalescedRateLimitStore', () => {
  it('counts the hits of one turn of the event loop in one write per key, each hit its own count', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-rl3-'));
    const file = path.join(dir, 'rate-limits.db');
    const inner = new SqliteRateLimitStore(file);
    const writes: number[] = [];
    const counting: RateLimitStore = {
      hit: (key, windowMs, nowMs, hits = 1) => {
        writes.push(hits);
        return inner.hit(key, windowMs, nowMs, hits);
      },
      peek: (key, nowMs) => inner.peek(key, nowMs),
      purge: (nowMs) => inner.purge(nowMs),
      close: () => inner.close(),
    };
    // Another process's store on the same file, counting one hit at a time beside it.
    const [store, other] = [new CoalescedRateLimitStore(counting), new SqliteRateLimitStore(file)];
    try {
      const hits = await Promise.all([
        ...Array.from({ length: 30 }, () => store.hit('user:a', 60_000, 1_000)),
        other.hit('user:a', 60_000, 1_000),
        ...Array.from({ length: 5 }, () => store.hit('user:b', 60_000, 1_000)),
      ]);
      expect(writes.sort((x, y) => x - y)).toEqual([5, 30]);
      const a = hits.slice(0, 31).map((h) => h.count);
      expect(a.sort((x, y) => x - y)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      expect(hits.slice(31).map((h) => h.count)).toEqual([1, 2, 3, 4, 5]);
      expect(await store.peek('user:a', 2_000)).toEqual({ count: 31, resetAtMs: 61_000 });
    } finally {
      await store.close();
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the hits still waiting when it closes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-rl4-'));
    const file = path.join(dir, 'rate-limits.db');
    const store = new CoalescedRateLimitStore(new SqliteRateLimitStore(file));
    const pending = [store.hit('user:c', 60_000, 1_000), store.hit('user:c', 60_000, 1_000)];
    await store.close();
    const reopened = new SqliteRateLimitStore(file);
    try {
      expect((await Promise.all(pending)).map((h) => h.count)).toEqual([1, 2]);
      expect(await reopened.peek('user:c', 2_000)).toEqual({ count: 2, resetAtMs: 61_000 });
    } finally {
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
