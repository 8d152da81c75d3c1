import { createHash } from 'node:crypto';
import os from 'node:os';
import { canonicalJson } from '../../../api/http/platform/hooks/idempotency.hooks.js';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecord } from '../../../application/shared/idempotency.js';
import { settleIdempotencyRecords } from '../../../bin/composition/settle-idempotency.js';
import { drill } from '../../support/fixtures.js';
import { shop } from '../../support/shop.js';
import { silentLogger } from '../../support/silent-logger.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * What a crash leaves behind for an Idempotency-Key, and how the next request settles it by event ids.
 * A kill -9 cannot be sent to the test's own process, so the record a killed process leaves (pending,
 * owned by a process that no longer runs) is written as such; tests/faults kills real servers.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const records = () => t.infra.store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);
/** A process on this machine that is gone: its pid runs nothing (pids stay below 2^22 on Linux). */
const deadOwner = { id: 'killed-process', host: os.hostname(), pid: 4_194_305 };

/** The key's record as a process killed after (or before) its commit leaves it. */
async function leftByKilledProcess(): Promise<IdempotencyRecord> {
  const [record] = await records().find({});
  const { statusCode: _s, contentType: _c, body: _b, etag: _e, ...rest } = record;
  const pending: IdempotencyRecord = {
    ...rest,
    state: 'pending',
    owner: deadOwner,
    leaseUntil: new Date(t.infra.clock.now().getTime() + 60_000).toISOString(),
  };
  await records().put(pending);
  return pending;
}

beforeEach(async () => {
  for (const r of await records().find({})) await records().delete(r._id);
});

describe('an Idempotency-Key whose process died', () => {
  it('committed before the kill: the repeat answers the first result, and nothing is appended twice', async () => {
    const { post } = shop(t);
    const body = drill();
    const first = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'crash-1' });
    expect(first.statusCode).toBe(201);
    const head = await t.infra.events.headPosition();
    await leftByKilledProcess();

    const again = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'crash-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await t.infra.events.headPosition()).toBe(head);
    const stream = await t.infra.events.readStream(`product-${first.json().productId}`);
    expect(stream.map((e) => e.type)).toEqual(['ProductRegistered']);
    // Settled: the answer is now kept and replayed like any other.
    const third = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'crash-1' });
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.json()).toEqual(first.json());
  });

  it('an order placed across streams (holds, then the order) is settled call by call', async () => {
    const { post, product, customer } = shop(t);
    const productId = await product({ stock: 1 });
    const customerId = await customer();
    const order = {
      customerId,
      rentalStart: '2027-03-01',
      rentalEnd: '2027-03-03',
      items: [{ productId, quantity: 1 }],
    };
    const headers = { ...t.authAs(['staff']), 'idempotency-key': 'order-crash' };
    const first = await post('/v1/orders', order, headers);
    expect(first.statusCode).toBe(201);
    await leftByKilledProcess();

    const again = await post('/v1/orders', order, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const holds = (await t.infra.events.readStream(`product-${productId}`)).filter((e) => e.type === 'UnitsHeld');
    expect(holds).toHaveLength(1);
    // The last unit is taken once: another order for it is still refused.
    const other = await post('/v1/orders', order, t.authAs(['staff']));
    expect(other.statusCode).toBe(409);
  });

  it('killed before its commit: the key is free, the retry runs the command once', async () => {
    const { post } = shop(t);
    const body = drill();
    // The record a kill before the commit leaves: pending, its process gone, nothing in the log.
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const id = sha256('test-staff\nPOST /v1/products\ncrash-2');
    await records().put({
      _id: id,
      state: 'pending',
      requestHash: sha256(canonicalJson(body)),
      expiresAt: '2999-01-01T00:00:00.000Z',
      seed: sha256(`${id}\nkilled`),
      owner: deadOwner,
      leaseUntil: '2999-01-01T00:00:00.000Z',
    });
    const head = await t.infra.events.headPosition();

    const retry = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'crash-2' });
    expect(retry.statusCode).toBe(201);
    const stream = await t.infra.events.readStream(`product-${retry.json().productId}`);
    expect(stream.map((e) => e.type)).toEqual(['ProductRegistered']);
    expect(stream[0].position).toBeGreaterThan(head);
    expect((await records().findById(id))?.state).toBe('done');
  });

  it('no key stays pending after a restart: the api settles those of dead processes at start', async () => {
    const { post } = shop(t);
    await post('/v1/products', drill(), { ...t.authAs(['staff']), 'idempotency-key': 'crash-3' });
    const pending = await leftByKilledProcess();
    const live = { ...pending, _id: 'live-one', owner: t.infra.processes.self };
    await records().put(live);

    expect(await settleIdempotencyRecords(t.infra, silentLogger)).toBe(1);
    expect((await records().findById(pending._id))?.state).toBe('unknown');
    expect((await records().findById('live-one'))?.state).toBe('pending'); // its process runs: left alone
  });

  it('a repeat while the first attempt still runs in a live process is a 409; after its lease it settles', async () => {
    const { post } = shop(t);
    const body = drill();
    const first = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'slow-1' });
    const pending = await leftByKilledProcess();
    await records().put({ ...pending, owner: t.infra.processes.self });
    const busy = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'slow-1' });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });

    await records().put({ ...pending, owner: t.infra.processes.self, leaseUntil: '2000-01-01T00:00:00.000Z' });
    const settled = await post('/v1/products', body, { ...t.authAs(['staff']), 'idempotency-key': 'slow-1' });
    expect(settled.statusCode).toBe(201);
    expect(settled.json()).toEqual(first.json());
  });
});
