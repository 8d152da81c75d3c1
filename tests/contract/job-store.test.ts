import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoJobStore } from '../../infrastructure/jobs/mongo.job-store.js';
import { SqliteJobStore } from '../../infrastructure/jobs/sqlite.job-store.js';
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

const url = process.env.MONGODB_URL;
if (url) {
  jobStoreContract('MongoDB', async () => {
    const dbName = `rentlog_jobs_${randomBytes(4).toString('hex')}`;
    const store = await MongoJobStore.connect(url, dbName);
    return {
      store,
      reopen: () => MongoJobStore.connect(url, dbName),
      cleanup: async () => {
        await store.close();
        const client = await MongoClient.connect(url);
        await client
          .db(dbName)
          .dropDatabase()
          .finally(() => client.close());
      },
    };
  });
} else {
  describe.skip('MongoDB job store contract suite (MONGODB_URL is not set)', () => {
    it('runs the job store contract against MongoJobStore', () => undefined);
  });
}

describe('SqliteJobStore (SQLite only)', () => {
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
