/**
 * A rebuild accepted with 202 survives a stop or a crash: the next start resumes it from the shadow's
 * checkpoint and promotes it, or reports it failed and removes its shadow. Runs on SQLite here, and on
 * EventStoreDB + MongoDB where their URLs are set.
 */
import type { CommitBatch, Doc, ReadStore } from '../../../application/ports/read-store.port.js';
import type { Logger } from '../../../application/ports/logger.port.js';
import { productsProjection } from '../../../projections/product/products.projection.js';
import type { Projection } from '../../../projections/runner/projection.js';
import {
  REBUILDS_COLLECTION,
  REQUESTS_COLLECTION,
  STATUS_COLLECTION,
  readProjectionStatus,
} from '../../../projections/runner/projection-status.js';
import { Projector } from '../../../projections/runner/projector.js';
import { shadowName } from '../../../projections/runner/rebuild.js';
import { eventually, sleep } from '../../support/eventually.js';
import { seedProducts } from '../../support/fixtures.js';
import { silentLogger } from '../../support/silent-logger.js';
import { storeKinds, type StorePair } from '../../support/store-kinds.js';
import { TestClock } from '../../support/test-clock.js';

const products = productsProjection as unknown as Projection;
const clock = new TestClock('2026-01-01T00:00:00.000Z');

/** A logger that keeps the messages (and writes nothing). */
function recordingLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];
  const logger: Logger & { messages: string[] } = {
    messages,
    error: (m) => messages.push(m),
    warn: (m) => messages.push(m),
    info: (m) => messages.push(m),
    debug: () => undefined,
    child: () => logger,
  };
  return logger;
}

const allDocs = async (store: ReadStore, collection: string) =>
  (await store.collection(collection).find({}, { sort: { _id: 1 } })) as Doc[];

describe.each(storeKinds())('rebuilds a restart interrupts (%s)', (_kind, open) => {
  let s: StorePair;
  let head: bigint;
  const projectorOn = (store: ReadStore = s.store, logger: Logger = silentLogger) =>
    new Projector({
      projections: [products],
      events: s.events,
      store,
      logger,
      clock,
      batchSize: 10,
      requestPollMs: 20,
    });
  const caughtUp = () =>
    eventually(
      () => s.store.getCheckpoint('products'),
      (c) => c === head,
      30_000,
      20,
    );
  beforeEach(async () => {
    s = await open();
    await seedProducts(s.events, 150, 3);
    head = await s.events.headPosition();
  }, 60_000);
  afterEach(() => s.close());

  it('resumes from the shadow checkpoint after a stop mid-way, then promotes', async () => {
    // The rebuild's commits take a while, so that the stop lands in the middle of it.
    const slow: ReadStore = Object.assign(Object.create(s.store) as ReadStore, {
      commit: async (batch: CommitBatch) => {
        if (batch.checkpoint === shadowName('products')) await sleep(15);
        return s.store.commit(batch);
      },
    });
    const first = projectorOn(slow);
    await first.start();
    await caughtUp();
    const live = await allDocs(s.store, 'products');
    const rebuilding = first.rebuild('products');
    await eventually(
      () => s.store.getCheckpoint(shadowName('products')),
      (c) => c !== null && c > 0n,
      30_000,
      5,
    );
    await first.stop(); // as SIGTERM does; a crash leaves the same documents behind
    await rebuilding;
    const interruptedAt = await s.store.getCheckpoint(shadowName('products'));
    expect(interruptedAt).not.toBeNull();
    expect(interruptedAt!).toBeLessThan(head);
    expect(await s.store.collection(REBUILDS_COLLECTION).findById('products')).toMatchObject({ target: String(head) });

    const logger = recordingLogger();
    const second = projectorOn(s.store, logger);
    await second.start();
    await eventually(
      () => s.store.collection(REBUILDS_COLLECTION).findById('products'),
      (doc) => doc === null,
      30_000,
      20,
    );
    expect(logger.messages).toEqual(expect.arrayContaining(['resuming an interrupted rebuild', 'rebuild resumed']));
    expect(logger.messages).not.toContain('rebuild started');
    expect(await allDocs(s.store, 'products')).toEqual(live);
    expect(await s.store.getCheckpoint(shadowName('products'))).toBeNull();
    expect(await s.store.collection(shadowName('products')).count()).toBe(0);
    expect(await s.store.collection(STATUS_COLLECTION).findById('products')).toMatchObject({ status: 'running' });
    expect(await s.store.getCheckpoint('products')).toBe(head);
    await second.stop();
  }, 90_000);

  it('takes a request the API accepted (202) before a crash: it is removed only once its rebuild is recorded', async () => {
    await s.store.ensureCollection({ name: REQUESTS_COLLECTION });
    await s.store.collection(REQUESTS_COLLECTION).put({ _id: 'products', requestedBy: 'analyst-1' });
    const projector = projectorOn();
    await projector.start();
    await eventually(
      async () => ({
        request: await s.store.collection(REQUESTS_COLLECTION).findById('products'),
        rebuild: await s.store.collection(REBUILDS_COLLECTION).findById('products'),
        rebuilding: projector.isRebuilding('products'),
      }),
      (seen) => seen.request === null && seen.rebuild === null && !seen.rebuilding,
      30_000,
      20,
    );
    expect(await s.store.getCheckpoint('products')).toBe(head);
    expect(await s.store.collection('products').count()).toBe(150);
    await projector.stop();
  }, 90_000);

  it('a rebuild that fails is reported failed, its shadow removed, the live model still followed', async () => {
    const failing: ReadStore = Object.assign(Object.create(s.store) as ReadStore, {
      promote: () => Promise.reject(new Error('disk full')),
    });
    const projector = projectorOn(failing);
    await projector.start();
    await caughtUp();
    await expect(projector.rebuild('products')).rejects.toThrow('disk full');
    const [status] = await readProjectionStatus([products], s.store, s.events, new Date());
    expect(status.rebuild).toMatchObject({ state: 'failed', error: 'disk full', target: String(head) });
    expect(await s.store.getCheckpoint(shadowName('products'))).toBeNull();
    expect(await s.store.collection(shadowName('products')).count()).toBe(0);
    await eventually(
      () => projector.runner('products')?.state,
      (state) => state === 'running',
      10_000,
      20,
    );
    expect(await s.store.collection('products').count()).toBe(150);
    await projector.stop();
    // A failed rebuild is not resumed by the next start; the next request starts over.
    const next = projectorOn();
    await next.start();
    expect(next.isRebuilding('products')).toBe(false);
    await next.rebuild('products');
    const [after] = await readProjectionStatus([products], s.store, s.events, new Date());
    expect(after.rebuild).toBeNull();
    await next.stop();
  }, 90_000);
});
