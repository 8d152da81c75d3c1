import type { RecordedEvent } from '../../../application/ports/event-store.port.js';
import type { CommitBatch, Doc, ReadStore } from '../../../application/ports/read-store.port.js';
import { productsProjection } from '../../../projections/product/products.projection.js';
import type { Projection } from '../../../projections/runner/projection.js';
import { ProjectionRunner } from '../../../projections/runner/projection-runner.js';
import {
  PARKED_COLLECTION,
  readProjectionStatus,
  STATUS_COLLECTION,
} from '../../../projections/runner/projection-status.js';
import { Projector } from '../../../projections/runner/projector.js';
import { ProjectionsService } from '../../../projections/runner/projections-service.js';
import { eventually, withTimeout } from '../../support/eventually.js';
import { newEvent, openStores, repriced, seedProducts, type Stores } from '../../support/fixtures.js';
import { silentLogger } from '../../support/silent-logger.js';
import { TestClock } from '../../support/test-clock.js';

const products = productsProjection as unknown as Projection;
/** The projector's clock only stamps status documents and parked events: no test here reads real time from it. */
const clock = new TestClock('2026-01-01T00:00:00.000Z');
let s: Stores;
beforeEach(() => {
  s = openStores();
});
afterEach(() => s.close());

const allDocs = async (store: ReadStore, collection: string) =>
  (await store.collection(collection).find({}, { sort: { _id: 1 } })) as Doc[];

/** Waits (polling every 10 ms, for up to 10 s) until the products checkpoint is `position`, by default the log's head. */
async function checkpointReaches(position?: bigint): Promise<void> {
  const target = position ?? (await s.events.headPosition());
  await eventually(
    () => s.store.getCheckpoint('products'),
    (checkpoint) => checkpoint === target,
    10_000,
    10,
  );
}

describe('ProjectionRunner', () => {
  it('catches up in batches, then follows live appends, storing the checkpoint with the documents', async () => {
    const ids = await seedProducts(s.events, 30, 3);
    const runner = new ProjectionRunner({
      projection: products,
      events: s.events,
      store: s.store,
      logger: silentLogger,
      batchSize: 7,
    });
    const done = runner.start();
    await checkpointReaches();
    const doc = await s.store.collection('products').findById(ids[0]);
    expect(doc).toMatchObject({ productId: ids[0], dailyRate: { amount: 1003, currency: 'EUR' }, revision: '3' });
    expect(await s.store.collection('products').count()).toBe(30);

    const live = await s.events.append(`product-${ids[1]}`, [newEvent(repriced(ids[1], 4242))], 'any');
    await checkpointReaches(live.position);
    expect((await s.store.collection('products').findById(ids[1]))?.dailyRate).toEqual({
      amount: 4242,
      currency: 'EUR',
    });
    await runner.stop();
    await done;
  });

  it('replaying events it has applied changes nothing (the checkpoint lost, documents kept)', async () => {
    await seedProducts(s.events, 10, 2);
    const head = await s.events.headPosition();
    await new ProjectionRunner({ projection: products, events: s.events, store: s.store, logger: silentLogger }).start(
      head,
    );
    const before = await allDocs(s.store, 'products');
    await s.store.deleteCheckpoint('products');
    await new ProjectionRunner({
      projection: products,
      events: s.events,
      store: s.store,
      logger: silentLogger,
      batchSize: 3,
    }).start(head);
    expect(await allDocs(s.store, 'products')).toEqual(before);
  });

  it('retries a failing batch with backoff until the store recovers, losing nothing', async () => {
    await seedProducts(s.events, 5, 1);
    let failures = 2;
    const flaky: ReadStore = Object.create(s.store, {
      commit: {
        value: async (batch: CommitBatch) => {
          if (failures-- > 0) throw new Error('disk hiccup');
          return s.store.commit(batch);
        },
      },
    });
    const runner = new ProjectionRunner({
      projection: products,
      events: s.events,
      store: flaky,
      logger: silentLogger,
      maxBackoffMs: 20,
    });
    const states: string[] = [];
    runner.on('state', (state: string) => states.push(state));
    await runner.start(await s.events.headPosition());
    expect(states).toContain('retrying');
    expect(states.at(-1)).toBe('running');
    expect(await s.store.collection('products').count()).toBe(5);
    expect(failures).toBeLessThan(0);
  });

  it('stops as failed, instead of retrying for ever, when its checkpoint is not a position of the log', async () => {
    await seedProducts(s.events, 3, 0);
    const head = await s.events.headPosition();
    await s.store.commit({ checkpoint: 'products', expected: null, next: head + 100n, writes: [] });
    const runner = new ProjectionRunner({
      projection: products,
      events: s.events,
      store: s.store,
      logger: silentLogger,
    });
    await withTimeout(runner.start(), 5_000, 'the runner to give up');
    expect(runner.state).toBe('failed');
    expect(runner.lastError).toMatch(/checkpoint \d+ is not a position of this event log/);
  });

  it('parks an event the projection cannot apply and goes on', async () => {
    const ids = await seedProducts(s.events, 3, 0);
    await s.events.append(
      `product-${ids[0]}`,
      [newEvent({ type: 'ProductRepriced', data: { productId: ids[0], dailyRate: null } })],
      'any',
    );
    await s.events.append(`product-${ids[1]}`, [newEvent(repriced(ids[1], 777))], 'any');
    const fussy: Projection = {
      ...products,
      apply(doc, event, id) {
        if (event.type === 'ProductRepriced' && (event.data as { dailyRate: unknown }).dailyRate === null)
          throw new Error('dailyRate missing');
        return products.apply(doc, event, id);
      },
    };
    const parked: Array<{ event: RecordedEvent; error: Error }> = [];
    await new ProjectionRunner({
      projection: fussy,
      events: s.events,
      store: s.store,
      logger: silentLogger,
      park: async (event, error) => void parked.push({ event, error }),
    }).start(await s.events.headPosition());
    expect(parked).toHaveLength(1);
    expect(parked[0].error.message).toBe('dailyRate missing');
    expect((await s.store.collection('products').findById(ids[1]))?.dailyRate).toEqual({
      amount: 777,
      currency: 'EUR',
    });
  });
});

describe('Projector', () => {
  it('rebuilds from position zero to exactly the documents of the live run, and shows it in the status', async () => {
    const projector = new Projector({
      projections: [products],
      events: s.events,
      store: s.store,
      logger: silentLogger,
      clock,
      batchSize: 5,
    });
    await projector.start();
    const ids = await seedProducts(s.events, 20, 2);
    await s.events.append(
      `product-${ids[0]}`,
      [newEvent({ type: 'ProductRetired', data: { productId: ids[0], retiredAt: 'x' } })],
      'any',
    );
    const head = await s.events.headPosition();
    await checkpointReaches(head);
    const live = await allDocs(s.store, 'products');

    const progress: bigint[] = [];
    await projector.rebuild('products', (p) => progress.push(p.position));
    expect(await allDocs(s.store, 'products')).toEqual(live);
    expect(progress.at(-1)).toBe(head);
    expect(await s.store.getCheckpoint('products__rebuild')).toBeNull();

    // The live runner took over again after the swap.
    const after = await s.events.append(`product-${ids[1]}`, [newEvent(repriced(ids[1], 999))], 'any');
    await checkpointReaches(after.position);
    const [status] = await readProjectionStatus([products], s.store, s.events, new Date());
    expect(status).toMatchObject({
      name: 'products',
      version: products.version,
      status: 'running',
      position: String(after.position),
      lag: { events: 0 },
    });
    await projector.stop();
  });

  it('rebuilds a projection whose version changed, serving the old model until the swap', async () => {
    const ids = await seedProducts(s.events, 5, 0);
    const v1 = new Projector({
      projections: [products],
      events: s.events,
      store: s.store,
      logger: silentLogger,
      clock,
    });
    await v1.start();
    await checkpointReaches();
    await v1.stop();

    const v2: Projection = {
      ...products,
      version: products.version + 1,
      apply: (doc, event, id) => products.apply(doc, event, id) && { ...products.apply(doc, event, id)!, shape: 'v2' },
    };
    const projector = new Projector({
      projections: [v2],
      events: s.events,
      store: s.store,
      logger: silentLogger,
      clock,
    });
    await projector.start();
    await eventually(
      async () => ({
        version: (await s.store.collection(STATUS_COLLECTION).findById('products'))?.version,
        rebuilding: projector.isRebuilding('products'),
      }),
      ({ version, rebuilding }) => version === products.version + 1 && !rebuilding,
      10_000,
      10,
    );
    expect(await s.store.collection('products').findById(ids[0])).toMatchObject({ shape: 'v2' });
    await projector.stop();
  });

  it('keeps parked events and their error visible in the status', async () => {
    const [id] = await seedProducts(s.events, 1, 0);
    await s.events.append(
      `product-${id}`,
      [newEvent({ type: 'ProductRepriced', data: { productId: id, dailyRate: 'broken' } })],
      'any',
    );
    const fussy: Projection = {
      ...products,
      apply(doc, event, key) {
        if ((event.data as { dailyRate?: unknown }).dailyRate === 'broken') throw new Error('not money');
        return products.apply(doc, event, key);
      },
    };
    const projector = new Projector({
      projections: [fussy],
      events: s.events,
      store: s.store,
      logger: silentLogger,
      clock,
    });
    await projector.start();
    await checkpointReaches();
    const [status] = await readProjectionStatus([fussy], s.store, s.events, new Date());
    expect(status.parked).toBe(1);
    expect(status.lastError).toMatch(/not money/);
    const [parked] = await s.store.collection(PARKED_COLLECTION).find({});
    expect(parked).toMatchObject({ consumer: 'products', eventType: 'ProductRepriced', error: 'not money' });
    await projector.stop();
  });

  it('takes rebuild requests left by another process', async () => {
    await seedProducts(s.events, 3, 0);
    const projector = new Projector({
      projections: [products],
      events: s.events,
      store: s.store,
      logger: silentLogger,
      clock,
      requestPollMs: 20,
    });
    await projector.start();
    await checkpointReaches();
    const service = new ProjectionsService([products], s.store, s.events, clock);
    await service.requestRebuild('products', 'analyst-1');
    await expect(service.requestRebuild('nope', 'analyst-1')).rejects.toMatchObject({ code: 'PROJECTION_NOT_FOUND' });
    const rebuilt: string[] = [];
    const rebuild = projector.rebuild.bind(projector);
    projector.rebuild = (name, onProgress, more) => {
      rebuilt.push(name);
      return rebuild(name, onProgress, more);
    };
    await eventually(
      () => ({ rebuilt: rebuilt.length, rebuilding: projector.isRebuilding('products') }),
      (seen) => seen.rebuilt === 1 && !seen.rebuilding,
      10_000,
      10,
    );
    expect(rebuilt).toEqual(['products']);
    expect(await s.store.collection('sys_projection_requests').count()).toBe(0);
    expect(await s.store.collection('products').count()).toBe(3);
    await projector.stop();
  });
});
