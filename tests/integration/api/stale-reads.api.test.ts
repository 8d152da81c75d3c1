import { staleReadsAllowed } from '../../../application/shared/read-consistency.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * Which reads may go to a MongoDB secondary (MONGODB_READ_PREFERENCE): those a query handler makes
 * for a GET without X-Min-Position, and no other. Every read-store collection opened during a
 * request is recorded with what `staleReadsAllowed()` said then (the Mongo adapter asks the same).
 */
let t: TestApp;
const opened: Array<{ collection: string; mayReadBehind: boolean }> = [];
beforeAll(async () => {
  t = await startTestApp();
  const store = t.infra.store;
  const collection = store.collection.bind(store);
  store.collection = ((name: string) => {
    opened.push({ collection: name, mayReadBehind: staleReadsAllowed() });
    return collection(name);
  }) as typeof store.collection;
});
afterAll(() => t.close());

const during = async (request: () => Promise<{ statusCode: number }>, status: number) => {
  opened.length = 0;
  expect((await request()).statusCode).toBe(status);
  return [...opened];
};

it('lets the query of a GET without X-Min-Position read behind, and its access check not', async () => {
  const { get } = shop(t);
  const reads = await during(() => get('/v1/products'), 200);
  expect(reads.filter((r) => r.collection === 'products')).toEqual([{ collection: 'products', mayReadBehind: true }]);
  // The caller's session and user are checked before the handler, on the primary.
  expect(reads.filter((r) => r.collection !== 'products').length).toBeGreaterThan(0);
  expect(reads.filter((r) => r.collection !== 'products' && r.mayReadBehind)).toEqual([]);
});

it('keeps a GET with X-Min-Position, and every command, on the primary', async () => {
  const { get, post, staff } = shop(t);
  const created = await post('/v1/products', {
    sku: 'STALE-1',
    name: 'Party tent',
    category: 'events',
    dailyRate: { amount: 1000, currency: 'EUR' },
    deposit: { amount: 5000, currency: 'EUR' },
    stock: 1,
  });
  expect(created.statusCode).toBe(201);
  const waited = await during(
    () => get('/v1/products', { ...staff(), 'x-min-position': created.json().position }),
    200,
  );
  expect(waited.filter((r) => r.collection === 'products').length).toBeGreaterThan(0);
  expect(waited.filter((r) => r.mayReadBehind)).toEqual([]);
  const command = await during(
    () =>
      post('/v1/products', {
        sku: 'STALE-2',
        name: 'Party tent',
        category: 'events',
        dailyRate: { amount: 1000, currency: 'EUR' },
        deposit: { amount: 5000, currency: 'EUR' },
        stock: 1,
      }),
    201,
  );
  expect(command.length).toBeGreaterThan(0);
  expect(command.filter((r) => r.mayReadBehind)).toEqual([]);
});
