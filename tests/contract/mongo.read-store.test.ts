import { MongoReadStore } from '../../infrastructure/read-store/mongo.read-store.js';
import { onMongo } from '../support/store-kinds.js';
import { readStoreContract } from './read-store.contract.js';

// Each run gets its own database (dropped afterwards); the server must be a replica set (transactions).
onMongo('MongoDB contract suite', (url, ownDatabase) =>
  readStoreContract('MongoDB', async () => {
    const db = ownDatabase('rentlog_contract_');
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
