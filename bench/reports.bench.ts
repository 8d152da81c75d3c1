/**
 * Report projection catch-up: rebuilding `reports` (day counters per shop, category and product,
 * with product and order documents as context) from a log of a shop's months, against raw batched
 * SQLite upserts of the same document writes (every document each event changes, as the projection
 * leaves it after that event).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { EventMetadata, NewEvent, RecordedEvent } from '../application/ports/event-store.port.js';
import type { Doc } from '../application/ports/read-store.port.js';
import { SqliteEventStore } from '../infrastructure/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../infrastructure/read-store/sqlite.read-store.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { SystemClock } from '../infrastructure/clock/system.clock.js';
import { reportsProjection } from '../projections/report/reports.projection.js';
import type { Projection } from '../projections/runner/projection.js';
import { rebuildProjection } from '../projections/runner/rebuild.js';
import { perSecond, prng, progress, ratio, round } from './support.js';
import { seededEvent } from './fixtures.js';

export interface ReportsParams {
  products: number;
  orders: number;
  batchSize: number;
  timeZone: string;
}

export const defaultReportsParams: ReportsParams = {
  products: 200,
  orders: 12_000,
  batchSize: 2000,
  timeZone: 'Europe/Berlin',
};

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const at = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

const event = seededEvent;

/** A year of a shop: products in a few categories; orders placed, paid, confirmed, picked up, returned, refunded. */
function shopLog(params: ReportsParams): Array<{ streamId: string; events: NewEvent[] }> {
  const random = prng(7);
  const start = Date.parse('2028-01-01T08:00:00Z');
  const products = Array.from({ length: params.products }, (_, i) => ({
    productId: randomUUID(),
    category: ['tools', 'events', 'garden', 'bikes'][i % 4],
  }));
  const log: Array<{ streamId: string; events: NewEvent[] }> = products.map((p, i) => ({
    streamId: `product-${p.productId}`,
    events: [
      event(
        'ProductRegistered',
        {
          productId: p.productId,
          sku: `SKU-${i}`,
          name: `Product ${i}`,
          category: p.category,
          dailyRate: eur(1000),
          deposit: eur(2000),
          stock: 5,
          bufferDays: 0,
          registeredAt: at(start),
        },
        at(start),
      ),
    ],
  }));
  for (let n = 0; n < params.orders; n++) {
    const orderId = randomUUID();
    const paymentId = randomUUID();
    const placed = start + Math.floor((n / params.orders) * 360 * DAY) + Math.floor(random() * DAY);
    const rentalStart = at(placed + DAY).slice(0, 10);
    const rentalEnd = at(placed + DAY * (2 + Math.floor(random() * 4))).slice(0, 10);
    const items = Array.from({ length: 1 + Math.floor(random() * 2) }, () => {
      const p = products[Math.floor(random() * products.length)];
      return {
        productId: p.productId,
        sku: 'SKU',
        name: 'Product',
        quantity: 1,
        dailyRate: eur(1000),
        unitDeposit: eur(2000),
        lineTotal: eur(3000),
      };
    });
    const order = { orderId, customerId: 'c1' };
    log.push({
      streamId: `order-${orderId}`,
      events: [
        event(
          'OrderPlaced',
          {
            ...order,
            rentalStart,
            rentalEnd,
            rentalDays: 3,
            items,
            subtotal: eur(3000 * items.length),
            deposit: eur(2000 * items.length),
            holdExpiresAt: at(placed + 1800_000),
            fulfilment: { method: 'pickup' },
            placedAt: at(placed),
          },
          at(placed),
        ),
        event('OrderConfirmed', { ...order, items: [], confirmedAt: at(placed + 60_000) }, at(placed + 60_000)),
        event('OrderPickedUp', { ...order, items: [], pickedUpAt: at(placed + DAY) }, at(placed + DAY)),
        event(
          'OrderReturned',
          {
            ...order,
            items: [],
            returnedOn: rentalEnd,
            lateDays: 0,
            lateFee: eur(0),
            damages: [],
            damageCharges: eur(0),
            returnedAt: at(placed + 3 * DAY),
          },
          at(placed + 3 * DAY),
        ),
      ],
    });
    log.push({
      streamId: `payment-${paymentId}`,
      events: [
        event(
          'PaymentCaptured',
          {
            paymentId,
            orderId,
            amount: eur(5000 * items.length),
            captured: eur(5000 * items.length),
            capturedAt: at(placed + DAY),
          },
          at(placed + DAY),
        ),
        event(
          'PaymentRefunded',
          {
            paymentId,
            orderId,
            amount: eur(2000 * items.length),
            refunded: eur(2000 * items.length),
            reason: 'deposit',
            refundedAt: at(placed + 3 * DAY),
          },
          at(placed + 3 * DAY),
        ),
      ],
    });
    if (n % 3 === 0)
      log.push({
        streamId: `customer-${randomUUID()}`,
        events: [
          event(
            'CustomerRegistered',
            {
              customerId: 'x',
              name: 'x',
              email: 'x',
              phone: null,
              address: null,
              userId: null,
              registeredAt: at(placed),
            },
            at(placed),
          ),
        ],
      });
  }
  return log;
}

/** Every document write the projection makes, in log order, with the documents as the runner leaves them. */
function writesOf(projection: Projection, events: RecordedEvent[]): Array<{ id: string; doc: Doc }> {
  const docs = new Map<string, Doc>();
  const writes: Array<{ id: string; doc: Doc }> = [];
  const lookup = (id: string) => docs.get(id) ?? null;
  for (const e of events) {
    if (!projection.handles.has(e.type)) continue;
    const before = new Map((projection.context?.(e) ?? []).map((id) => [id, lookup(id)]));
    const context = (id: string) => (before.has(id) ? before.get(id)! : lookup(id));
    for (const id of projection.keys(e, context)) {
      const next = projection.apply(lookup(id), e, id, context);
      if (!next) continue;
      const doc = { ...next, _id: id, _position: String(e.position) };
      docs.set(id, doc);
      writes.push({ id, doc });
    }
  }
  return writes;
}

function rawUpserts(file: string, writes: Array<{ id: string; doc: Doc }>, batchSize: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE reports (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  const upsert = db.prepare(
    'INSERT INTO reports (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
  );
  const batch = db.transaction((rows: typeof writes) => {
    for (const { id, doc } of rows) upsert.run(id, JSON.stringify(doc));
  });
  const t0 = performance.now();
  for (let i = 0; i < writes.length; i += batchSize) batch(writes.slice(i, i + batchSize));
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

export async function benchReports(dir: string, params: ReportsParams = defaultReportsParams) {
  const log = shopLog(params);
  const events = new SqliteEventStore(path.join(dir, 'reports-events.db'));
  progress(`reports: seeding ${log.reduce((a, s) => a + s.events.length, 0)} events of ${params.orders} orders`);
  for (let i = 0; i < log.length; i += 5000)
    await Promise.all(log.slice(i, i + 5000).map((s) => events.append(s.streamId, s.events, 'no_stream')));
  const head = await events.headPosition();
  const projection = reportsProjection(params.timeZone) as unknown as Projection;

  progress(`reports: rebuild(reports) from 0 to ${head}, batchSize ${params.batchSize}`);
  const store = new SqliteReadStore(path.join(dir, 'reports-read.db'));
  const t0 = performance.now();
  await rebuildProjection({
    projection,
    events,
    store,
    logger: createLogger('bench', { silent: true }),
    clock: new SystemClock(),
    batchSize: params.batchSize,
  });
  const runnerMs = performance.now() - t0;
  const documents = await store.collection('reports').count();
  await store.close();

  progress('reports baseline: raw batched upserts of the same document writes');
  const recorded: RecordedEvent[] = [];
  for (let after = 0n; ;) {
    const page = await events.readAll({ after, maxCount: 10_000 });
    if (page.length === 0) break;
    recorded.push(...page.map((e) => ({ ...e, metadata: e.metadata as EventMetadata })));
    after = page[page.length - 1].position;
  }
  await events.close();
  const writes = writesOf(projection, recorded);
  const rawMs = rawUpserts(path.join(dir, 'reports-raw.db'), writes, params.batchSize);
  const total = Number(head);
  const rates = { runner: perSecond(total, runnerMs), raw: perSecond(total, rawMs) };
  return {
    measurements: {
      reportsCatchUp: {
        value: rates.runner,
        unit: 'events/s',
        params: {
          projection: 'reports',
          events: total,
          orders: params.orders,
          products: params.products,
          documentWrites: writes.length,
          documents,
          timeZone: params.timeZone,
          batchSize: params.batchSize,
          seconds: round(runnerMs / 1000, 2),
          how: 'rebuildProjection of the reports projection (context documents read per batch), SQLite stores',
        },
      },
      reportsRawUpsert: {
        value: rates.raw,
        unit: 'events/s',
        params: {
          what: 'raw batched upserts of every document write the projection makes (JSON.stringify included), per event of the log',
          rows: writes.length,
          rowsPerTransaction: params.batchSize,
          seconds: round(rawMs / 1000, 2),
        },
      },
    },
    ratios: { reportsProjectionVsRawUpsert: ratio(rates.runner, rates.raw) },
  };
}
