import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoReadStore } from '../../infrastructure/read-store/mongo.read-store.js';
import { SqliteReadStore } from '../../infrastructure/read-store/sqlite.read-store.js';
import { onMongo } from '../support/store-kinds.js';
import { leaseStoreContract } from './lease-store.contract.js';

leaseStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rentlog-leases-'));
  const file = join(dir, 'read.db');
  const store = new SqliteReadStore(file);
  return {
    store,
    reopen: async () => new SqliteReadStore(file),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

onMongo('MongoDB lease contract suite', (url, ownDatabase) =>
  leaseStoreContract('MongoDB', async () => {
    const db = ownDatabase('rentlog_leases_');
    const store = await MongoReadStore.connect(url, db.name);
    return {
      store,
      reopen: () => MongoReadStore.connect(url, db.name),
      cleanup: async () => {
        await store.close();
        await db.drop();
      },
    };
  }),
);
