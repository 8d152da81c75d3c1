import { MongoClient } from 'mongodb';
import { mayReadBehind } from '../../../api/http/platform/stale-reads.interceptor.js';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { mongoClientOptions, readPreferenceFor } from '../../../infrastructure/shared/mongo-options.js';

/** The client options every MongoDB adapter opens with, and where one read goes. */
describe('mongoClientOptions', () => {
  const parsed = (url: string) => new MongoClient(url, mongoClientOptions(url)).options; // parses, connects to nothing

  it('acknowledges writes by a majority, journaled, and reads from the primary, unless told otherwise', () => {
    const options = parsed('mongodb://mongo-1:27017,mongo-2:27017,mongo-3:27017/?replicaSet=rs0');
    expect(options.writeConcern).toMatchObject({ w: 'majority', journal: true });
    expect(options.readPreference.mode).toBe('primary');
    expect(mongoClientOptions('mongodb://m:27017').ignoreUndefined).toBe(true);
  });

  it("keeps a write concern the URL names (the URL's w and journal win)", () => {
    expect(parsed('mongodb://m:27017/?replicaSet=rs0&w=2&journal=false').writeConcern).toMatchObject({
      w: 2,
      journal: false,
    });
    expect(parsed('mongodb://m:27017/?W=3').writeConcern).toMatchObject({ w: 3 });
  });

  it('adds the options an adapter passes', () => {
    expect(parsed('mongodb://m:27017').serverSelectionTimeoutMS).toBe(30000);
    const url = 'mongodb://m:27017';
    expect(new MongoClient(url, mongoClientOptions(url, { serverSelectionTimeoutMS: 500 })).options).toMatchObject({
      serverSelectionTimeoutMS: 500,
      writeConcern: { w: 'majority' },
    });
  });
});

describe('readPreferenceFor', () => {
  it('sends a read to a secondary only when it may be behind and MONGODB_READ_PREFERENCE says so', () => {
    const secondary = { readPreference: 'secondaryPreferred' as const, maxStalenessSeconds: 90 };
    expect(readPreferenceFor(secondary, true)).toMatchObject({ mode: 'secondaryPreferred', maxStalenessSeconds: 90 });
    expect(readPreferenceFor(secondary, false)).toBeUndefined(); // must see the latest writes: the client's primary
    expect(readPreferenceFor({ readPreference: 'primary' }, true)).toBeUndefined();
    expect(readPreferenceFor(undefined, true)).toBeUndefined();
    expect(readPreferenceFor({ readPreference: 'nearest' }, true)).toMatchObject({ mode: 'nearest' });
    expect(readPreferenceFor({ readPreference: 'nearest' }, true)?.maxStalenessSeconds).toBeUndefined();
  });

  it('comes from MONGODB_READ_PREFERENCE and MONGODB_MAX_STALENESS_SECONDS; a readPreference in the URL is refused', () => {
    const url = 'mongodb://m:27017/?replicaSet=rs0';
    expect(loadConfig({}).mongodbReadPreference).toBe('primary');
    const config = loadConfig({ MONGODB_READ_PREFERENCE: 'secondaryPreferred', MONGODB_MAX_STALENESS_SECONDS: '120' });
    expect([config.mongodbReadPreference, config.mongodbMaxStalenessSeconds]).toEqual(['secondaryPreferred', 120]);
    expect(() => loadConfig({ MONGODB_READ_PREFERENCE: 'any' })).toThrow(/MONGODB_READ_PREFERENCE/);
    expect(() => loadConfig({ MONGODB_MAX_STALENESS_SECONDS: '30' })).toThrow(/MONGODB_MAX_STALENESS_SECONDS/);
    expect(() => loadConfig({ MONGODB_URL: `${url}&readPreference=secondary` })).toThrow(
      /names a readPreference.*set MONGODB_READ_PREFERENCE/,
    );
  });
});

describe('mayReadBehind', () => {
  const request = (method: string, headers: Record<string, string>, readModels?: string[]) =>
    ({ method, headers, routeOptions: { config: readModels ? { readModels } : {} } }) as Parameters<
      typeof mayReadBehind
    >[0];

  it('is true for a query (a GET that reads read models) without X-Min-Position only', () => {
    expect(mayReadBehind(request('GET', {}, ['products']))).toBe(true);
    expect(mayReadBehind(request('GET', { 'x-min-position': '42' }, ['products']))).toBe(false);
    expect(mayReadBehind(request('GET', {}))).toBe(false); // reads no read model (health, metrics, docs)
    expect(mayReadBehind(request('POST', {}, ['products']))).toBe(false);
  });
});
