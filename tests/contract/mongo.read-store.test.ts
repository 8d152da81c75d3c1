import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../../infrastructure/read-store/mongo.read-store.js';
import { readStoreContract } from './read-store.contract.js';

const url = process.env.MONGODB_URL;

if (url) {
  // Each run gets its own database (dropped afterwards); the server must be a replica set (transactions).
  readStoreContract('MongoDB', async () => {
    const dbName = `rentlog_contract_${randomBytes(4).toString('hex')}`;
    const store = await MongoReadStore.connect(url, dbName);
    return {
      store,
      reopen: () => MongoReadStore.connect(url, dbName),
      cleanup: async () => {
        await store.close();
        const client = await MongoClient.connect(url);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  });
} else {
  describe.skip('MongoDB contract suite (MONGODB_URL is not set)', () => {
    it('runs the read-store contract against MongoReadStore', () => undefined);
  });
}
