import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventMetadata, EventStore, NewEvent, Recorded } from '../../application/ports/event-store.port.js';
import type { ProductEvent } from '../../domain/product/product.events.js';
import { SystemClock } from '../../infrastructure/clock/system.clock.js';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { createLogger } from '../../infrastructure/logging/logger.js';
import { SqliteReadStore } from '../../infrastructure/read-store/sqlite.read-store.js';

export const silentLogger = createLogger('test', { silent: true });
export const clock = new SystemClock();

export interface Stores {
  dir: string;
  events: SqliteEventStore;
  store: SqliteReadStore;
  close(): Promise<void>;
}

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

const eur = (amount: number) => ({ amount, currency: 'EUR' });

export function newEvent(
  event: { type: string; data: unknown },
  at = '2026-01-01T00:00:00.000Z',
): NewEvent & { metadata: EventMetadata } {
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: 'c',
      causationId: 'c',
      actor: { userId: 'u1', role: 'staff' },
      occurredAt: at,
      schemaVersion: 1,
    },
  };
}

export const registered = (productId: string, name = `Product ${productId.slice(0, 4)}`): ProductEvent => ({
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
    registeredAt: '2026-01-01T00:00:00.000Z',
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

/** An event as the store records it, typed by its union (`recorded(productEvent, 3n)` is a `Recorded<ProductEvent>`). */
export function recorded<E extends { type: string; data: unknown }>(
  event: E,
  position: bigint,
  revision = 0n,
  at?: string,
): Recorded<E> {
  const e = newEvent(event, at);
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
