import type { Doc, ReadStore } from '../../../application/ports/read-store.port.js';
import { dayKey, productKey } from '../../../application/report/report.view.js';
import { allProjections } from '../../../projections/index.js';
import { reportsProjection } from '../../../projections/report/reports.projection.js';
import type { Projection } from '../../../projections/runner/projection.js';
import { ProjectionRunner } from '../../../projections/runner/projection-runner.js';
import { STATUS_COLLECTION } from '../../../projections/runner/projection-status.js';
import { Projector } from '../../../projections/runner/projector.js';
import { eventually } from '../../support/eventually.js';
import { eur, newEvent, openStores, type Stores } from '../../support/fixtures.js';
import { silentLogger } from '../../support/silent-logger.js';
import { TestClock } from '../../support/test-clock.js';

const clock = new TestClock('2028-03-01T00:00:00.000Z');
let s: Stores;
beforeEach(() => {
  s = openStores();
});
afterEach(() => s.close());

const line = (productId: string, lineTotal: number) => ({
  productId,
  sku: `SKU-${productId}`,
  name: productId,
  quantity: 1,
  dailyRate: eur(lineTotal / 2),
  unitDeposit: eur(1000),
  lineTotal: eur(lineTotal),
});

/**
 * A small story on the raw store: two products of two categories, a mixed order placed, paid and
 * captured in one append (so in one batch: the capture reads the order the same batch created),
 * confirmed, picked up just after local midnight in Auckland, and a partial refund.
 */
async function story(): Promise<void> {
  const product = (productId: string, category: string) =>
    s.events.append(
      `product-${productId}`,
      [
        newEvent({
          type: 'ProductRegistered',
          data: {
            productId,
            sku: `SKU-${productId}`,
            name: `Product ${productId}`,
            category,
            dailyRate: eur(1000),
            deposit: eur(1000),
            stock: 2,
            bufferDays: 0,
            registeredAt: '2028-02-28T10:00:00.000Z',
          },
        }),
      ],
      'no_stream',
    );
  await product('p1', 'tools');
  await product('p2', 'events');
  const order = { orderId: 'o1', customerId: 'c1' };
  await s.events.append(
    'order-o1',
    [
      newEvent({
        type: 'OrderPlaced',
        data: {
          ...order,
          rentalStart: '2028-02-29',
          rentalEnd: '2028-03-01',
          rentalDays: 1,
          items: [line('p1', 3000), line('p2', 1000)],
          subtotal: eur(4000),
          deposit: eur(2000),
          holdExpiresAt: '2028-02-28T12:00:00.000Z',
          fulfilment: { method: 'pickup' },
          placedAt: '2028-02-28T11:00:00.000Z',
        },
      }),
      newEvent({
        type: 'PaymentCaptured',
        data: {
          paymentId: 'pay1',
          orderId: 'o1',
          amount: eur(1001),
          captured: eur(1001),
          capturedAt: '2028-02-28T11:30:00.000Z', // Auckland: 2028-02-29 00:30
        },
      }),
      newEvent({
        type: 'OrderConfirmed',
        data: { ...order, items: [], confirmedAt: '2028-02-28T11:40:00.000Z' },
      }),
    ],
    'no_stream',
  );
  await s.events.append(
    'order-o1',
    [newEvent({ type: 'OrderPickedUp', data: { ...order, items: [], pickedUpAt: '2028-02-28T11:05:00.000Z' } })],
    'any',
  );
  await s.events.append(
    'payment-pay1',
    [
      newEvent({
        type: 'PaymentRefunded',
        data: {
          paymentId: 'pay1',
          orderId: 'o1',
          amount: eur(400),
          refunded: eur(400),
          reason: 'r',
          refundedAt: '2028-02-29T09:00:00.000Z', // Auckland: 2028-02-29 22:00
        },
      }),
    ],
    'no_stream',
  );
}

const docsOf = async (store: ReadStore, collection: string) =>
  (await store.collection(collection).find({}, { sort: { _id: 1 } })).map(({ _position: _, ...d }) => d as Doc);

async function run(projection: Projection, options: { batchSize?: number; collection?: string; upTo?: bigint } = {}) {
  const runner = new ProjectionRunner({
    projection,
    events: s.events,
    store: s.store,
    logger: silentLogger,
    batchSize: options.batchSize,
    collection: options.collection,
    checkpoint: options.collection,
    upTo: options.upTo,
  });
  await runner.start(options.upTo ?? (await s.events.headPosition()));
  await runner.stop();
}

const auckland = reportsProjection('Pacific/Auckland') as unknown as Projection;

describe('reports projection on the runner', () => {
  it('counts by local day and shares a payment out by line totals, reading its context within one batch', async () => {
    await story();
    await run(auckland);
    const day = (scope: string, date: string) => s.store.collection('reports').findById(dayKey(scope, date));
    expect(await day('all', '2028-02-29')).toMatchObject({
      revenue: 601,
      captured: 1001,
      refunded: 400,
      ordersPlaced: 1, // 11:00 UTC is 00:00 in Auckland (UTC+13)
      pickups: 1,
      activeDelta: 1,
      bookedDelta: 2,
      rentals: 2,
    });
    // 1001 over line totals 3000:1000 is 751 + 250 (largest remainder), 400 is 300 + 100.
    expect(await day('c/tools', '2028-02-29')).toMatchObject({ revenue: 451, captured: 751, refunded: 300 });
    expect(await day('p/p2', '2028-02-29')).toMatchObject({ revenue: 150, captured: 250, refunded: 100 });
    expect(await day('all', '2028-03-02')).toMatchObject({ bookedDelta: -2 });
    expect(await day('all', '2028-02-28')).toMatchObject({ stockDelta: 4 });
    expect(await s.store.collection('reports').findById('totals')).toMatchObject({ captured: 1001, refunded: 400 });
  });

  it('ends with the same documents whatever the batches, and a replay of every event changes nothing', async () => {
    await story();
    await run(auckland, { batchSize: 500 });
    const once = await docsOf(s.store, 'reports');
    await run(auckland, { batchSize: 1, collection: 'reports_one_by_one' });
    expect(await docsOf(s.store, 'reports_one_by_one')).toEqual(once);
    // Every event again (checkpoint back to zero, documents kept): the runner's position guard skips them all.
    await s.store.deleteCheckpoint('reports');
    await run(auckland, { batchSize: 3 });
    expect(await docsOf(s.store, 'reports')).toEqual(once);
  });

  it('with upTo, applies nothing after that position: the model as it stood then', async () => {
    await story();
    const events = await s.events.readAll({ after: 0n, maxCount: 100 });
    const before = events.find((e) => e.type === 'OrderPickedUp')!.position - 1n;
    await run(auckland, { collection: 'reports_then', upTo: before });
    const then = s.store.collection('reports_then');
    expect(await then.findById(dayKey('all', '2028-02-29'))).toMatchObject({ captured: 1001, rentals: 2 });
    expect((await then.findById(dayKey('all', '2028-02-29')))?.pickups).toBeUndefined();
    expect((await then.findById('totals'))?.refunded).toBe(0);
    expect(await then.findById(productKey('p1'))).toMatchObject({ category: 'tools', stock: 2 });
  });
});

describe('SHOP_TIMEZONE as the projection variant', () => {
  it('rebuilds the reports at start when the time zone changed', async () => {
    await story();
    const start = async (shopTimeZone: string) => {
      const projector = new Projector({
        projections: allProjections({ shopTimeZone }),
        events: s.events,
        store: s.store,
        logger: silentLogger,
        clock,
        requestPollMs: 20,
      });
      await projector.start();
      return projector;
    };
    const head = await s.events.headPosition();
    const first = await start('UTC');
    await eventually(
      () => s.store.getCheckpoint('reports'),
      (c) => c === head,
    );
    expect(await s.store.collection('reports').findById(dayKey('all', '2028-02-28'))).toMatchObject({
      ordersPlaced: 1,
    });
    await first.stop();

    const second = await start('Pacific/Auckland');
    await eventually(
      () => s.store.collection(STATUS_COLLECTION).findById('reports'),
      (status) => status?.variant === 'Pacific/Auckland' && status.status === 'running',
    );
    await eventually(
      () => s.store.getCheckpoint('reports'),
      (c) => c === head,
    );
    expect((await s.store.collection('reports').findById(dayKey('all', '2028-02-28')))?.ordersPlaced).toBeUndefined();
    expect(await s.store.collection('reports').findById(dayKey('all', '2028-02-29'))).toMatchObject({
      ordersPlaced: 1,
    });
    await second.stop();
  });
});
