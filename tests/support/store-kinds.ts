/**
 * The pairs of stores a test can run on: the embedded SQLite ones always, and EventStoreDB with MongoDB
 * where EVENTSTORE_URL and MONGODB_URL are set (the CI workflow, `npm run test:real-stack`). Each
 * opening owns its stores: a temp directory, or a stream prefix and a database of its own (dropped at
 * close), so that tests never share state on a shared server.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { EventStore } from '../../application/ports/event-store.port.js';
import type { ReadStore } from '../../application/ports/read-store.port.js';
import { EsdbEventStore } from '../../infrastructure/event-store/esdb.event-store.js';
import { ScopedEventStore } from '../../infrastructure/event-store/scoped.event-store.js';
import { MongoReadStore } from '../../infrastructure/read-store/mongo.read-store.js';
import { openStores } from './fixtures.js';

export interface StorePair {
  events: EventStore;
  store: ReadStore;
  /** Another connection to the same read store, as another process has (the test closes it). */
  reopenStore(): Promise<ReadStore>;
  close(): Promise<void>;
}

export const ownTag = (): string => randomBytes(4).toString('hex');

export function storeKinds(): Array<[string, () => Promise<StorePair>]> {
  const kinds: Array<[string, () => Promise<StorePair>]> = [
    [
      'SQLite',
      async () => {
        const s = openStores();
        const { SqliteReadStore } = await import('../../infrastructure/read-store/sqlite.read-store.js');
        return { ...s, reopenStore: async () => new SqliteReadStore(`${s.dir}/read-models.db`) };
      },
    ],
  ];
  const esdb = process.env.EVENTSTORE_URL;
  const mongo = process.env.MONGODB_URL;
  if (esdb && mongo) {
    kinds.push([
      'EventStoreDB + MongoDB',
      async () => {
        const tag = ownTag();
        const dbName = `rentlog_test_${tag}`;
        const inner = EsdbEventStore.fromConnectionString(esdb);
        const events = new ScopedEventStore(inner, `t${tag}_`);
        const store = await MongoReadStore.connect(mongo, dbName);
        return {
          events,
          store,
          reopenStore: () => MongoReadStore.connect(mongo, dbName),
          async close() {
            await events.close();
            await store.close();
            await dropDatabase(mongo, dbName);
          },
        };
      },
    ]);
  }
  return kinds;
}

export async function dropDatabase(url: string, dbName: string): Promise<void> {
  const client = await MongoClient.connect(url);
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

/**
 * A suite that needs a MongoDB server: defined where MONGODB_URL is set, with `ownDatabase()` giving
 * each opening a database of its own (dropped by `drop()`); a named skip otherwise, which the
 * skipped-suites reporter lists.
 */
export function onMongo(
  title: string,
  define: (url: string, ownDatabase: (prefix: string) => { name: string; drop(): Promise<void> }) => void,
): void {
  const url = process.env.MONGODB_URL;
  if (!url) {
    describe.skip(`${title} (MONGODB_URL is not set)`, () => {
      it(`runs the ${title} against a MongoDB server`, () => undefined);
    });
    return;
  }
  define(url, (prefix) => {
    const name = `${prefix}${ownTag()}`;
    return { name, drop: () => dropDatabase(url, name) };
  });
}
