/**
 * The test kit's values and events: money, a product body, stream ids, event metadata, events (one
 * `newEvent`), recorded events for projections and workflows, the product events the projection
 * tests share, and a pair of embedded stores in a temp directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventMetadata, EventStore, NewEvent, Recorded } from '../../application/ports/event-store.port.js';
import type { ProductEvent, ProductRegistered } from '../../domain/product/product.events.js';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../../infrastructure/read-store/sqlite.read-store.js';

// ---------------------------------------------------------------------------------------------
// Values

export const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** A POST /v1/products body (a fresh SKU each time). */
export const drill = (overrides: Record<string, unknown> = {}) => ({
  sku: `DRL-${Math.random().toString(36).slice(2, 8)}`,
  name: 'Hammer drill',
  category: 'tools',
  dailyRate: eur(1500),
  deposit: eur(5000),
  stock: 3,
  bufferDays: 1,
  ...overrides,
});

// ---------------------------------------------------------------------------------------------
// Events

/** When test events happened, unless a test says otherwise. */
export const DEFAULT_OCCURRED_AT = '2026-01-01T00:00:00.000Z';

/** A fresh stream id `<category>-<uuid>`, so tests can share a real server. */
export function newStreamId(category = 'contract'): string {
  return `${category}-${randomUUID()}`;
}

/** Complete metadata (schema version 1), its correlation and causation a fresh id; override any field. */
export function newMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  const id = randomUUID();
  return {
    correlationId: id,
    causationId: id,
    actor: { userId: 'u1', role: 'staff' },
    occurredAt: DEFAULT_OCCURRED_AT,
    schemaVersion: 1,
    ...overrides,
  };
}

export interface NewEventOptions {
  /** `metadata.occurredAt` (default DEFAULT_OCCURRED_AT). */
  at?: string;
  /** Any other metadata fields. */
  metadata?: Partial<EventMetadata>;
}

/** An event to append (a fresh id): `newEvent({ type, data })`, `newEvent(productEvent, { at })`. */
export function newEvent<E extends { type: string; data: unknown }>(
  event: E,
  options: NewEventOptions = {},
): NewEvent<E['data']> & { metadata: EventMetadata } {
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: newMetadata({ ...(options.at === undefined ? {} : { occurredAt: options.at }), ...options.metadata }),
  };
}

/** `count` events of one type, their data `{ n }` (0, 1, ...). */
export function newEvents(
  count: number,
  type = 'Tested',
): Array<NewEvent<{ n: number }> & { metadata: EventMetadata }> {
  return Array.from({ length: count }, (_, n) => newEvent({ type, data: { n } }));
}

/** An event as the store records it, typed by its union (`recorded(productEvent, 3n)` is a `Recorded<ProductEvent>`). */
export function recorded<E extends { type: string; data: unknown }>(
  event: E,
  position: bigint,
  revision = 0n,
  at?: string,
): Recorded<E> {
  const e = newEvent(event, { at });
  return {
    ...e,
    type: event.type,
    data: event.data,
    streamId: 'product-x',
    revision,
    position,
    recordedAt: e.metadata.occurredAt,
  } as Recorded<E>;
}

// ---------------------------------------------------------------------------------------------
// Product events

export const registered = (
  productId: string,
  name = `Product ${productId.slice(0, 4)}`,
  overrides: Partial<ProductRegistered['data']> = {},
): ProductEvent => ({
  type: 'ProductRegistered',
  data: {
    productId,
    sku: `SKU-${productId}`,
    name,
    category: 'tools',
    dailyRate: eur(1000),
    deposit: eur(3000),
    stock: 2,
    bufferDays: 0,
    registeredAt: DEFAULT_OCCURRED_AT,
    ...overrides,
  },
});

export const repriced = (productId: string, amount: number): ProductEvent => ({
  type: 'ProductRepriced',
  data: {
    productId,
    dailyRate: eur(amount),
    deposit: eur(3000),
    previousDailyRate: eur(1000),
    previousDeposit: eur(3000),
    repricedAt: '2026-01-02T00:00:00.000Z',
  },
});

/** Appends a mixed history over `products` products; answers the ids. */
export async function seedProducts(events: EventStore, products: number, repricesEach: number): Promise<string[]> {
  const ids = Array.from({ length: products }, () => randomUUID());
  await Promise.all(ids.map((id) => events.append(`product-${id}`, [newEvent(registered(id))], 'no_stream')));
  for (let r = 1; r <= repricesEach; r++) {
    await Promise.all(ids.map((id) => events.append(`product-${id}`, [newEvent(repriced(id, 1000 + r))], 'any')));
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Stores

export interface Stores {
  dir: string;
  events: SqliteEventStore;
  store: SqliteReadStore;
  close(): Promise<void>;
}

/** A SQLite event store and read store in a fresh temp directory (raw: no event codec). */
export function openStores(): Stores {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-proj-'));
  const events = new SqliteEventStore(path.join(dir, 'events.db'));
  const store = new SqliteReadStore(path.join(dir, 'read-models.db'));
  return {
    dir,
    events,
    store,
    async close() {
      await events.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
