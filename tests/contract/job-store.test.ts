import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoJobStore } from '../../infrastructure/jobs/mongo.job-store.js';
import { SqliteJobStore } from '../../infrastructure/jobs/sqlite.job-store.js';
import { onMongo } from '../support/store-kinds.js';
import { jobStoreContract } from './job-store.contract.js';

jobStoreContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-jobs-'));
  const file = path.join(dir, 'jobs.db');
  const store = new SqliteJobStore(file);
  return {
    store,
    reopen: async () => new SqliteJobStore(file),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

onMongo('MongoDB job store contract suite', (url, ownDatabase) =>
  jobStoreContract('MongoDB', async () => {
    const db = ownDatabase('rentlog_jobs_');
    const store = await MongoJobStore.connect(url, db.name);
    return {
      store,
      reopen: () => MongoJobStore.connect(url, db.name),
      cleanup: async () => {
        await store.close();
        await db.drop();
      },
    };
  }),
);

describe('SqliteJobStore (SQLite only)', () => {
  it('claims through the indexes: no claim sorts the whole queue', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-jobs3-'));
    const store = new SqliteJobStore(path.join(dir, 'jobs.db'));
    try {
      const plan = store.explainClaim().join('\n');
      expect(plan).toMatch(/USING (COVERING )?INDEX jobs_due/);
      expect(plan).toMatch(/USING (COVERING )?INDEX jobs_leases/);
      expect(plan).not.toMatch(/SCAN jobs\b(?! USING)/);
      expect(plan.match(/TEMP B-TREE/g)?.length ?? 0).toBeLessThanOrEqual(1); // the two candidates, not the queue
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives a reopen: jobs are on disk', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-jobs2-'));
    const file = path.join(dir, 'jobs.db');
    try {
      const first = new SqliteJobStore(file);
      await first.enqueue({ id: 'j1', type: 't', queue: 'maintenance', payload: {}, runAt: new Date(0) }, new Date(0));
      await first.close();
      const second = new SqliteJobStore(file);
      expect((await second.get('j1'))?.state).toBe('pending');
      await second.close();
      expect(statSync(file).size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
