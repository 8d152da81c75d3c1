/**
 * Product events shaped as the application writes them: data as in domain/product/product.events.ts,
 * metadata as application/shared/event-sourcing.ts builds it (correlation, causation = request id,
 * actor, occurredAt, schemaVersion, and the reason of a stock adjustment).
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../application/ports/event-store.port.js';
import type { ProductEvent } from '../domain/product/product.events.js';
import type { Money } from '../domain/shared/money.js';
import { productStream } from '../domain/product/product.events.js';
import { prng } from './support.js';

export interface PlannedEvent {
  streamId: string;
  /** The stream revision this event gets when the log is appended in order. */
  revision: number;
  event: NewEvent<ProductEvent['data']>;
}

const CATEGORIES = ['tools', 'garden', 'camping', 'party', 'photo', 'audio', 'cleaning', 'ladders', 'bikes', 'kitchen'];
const NOUNS = [
  'Hammer drill',
  'Hedge trimmer',
  'Tent 4p',
  'Folding table',
  'Mirrorless camera',
  'PA speaker',
  'Carpet cleaner',
  'Ladder 3m',
  'E-bike',
  'Stand mixer',
];
const REASONS = ['returned damaged', 'stock count', 'new purchase', 'sold off', 'found in storage'];
const ACTOR = { userId: 'user-7f3c2a', role: 'staff' };
const BASE_TIME = Date.parse('2025-03-01T08:00:00.000Z');

const eur = (amount: number): Money => ({ amount, currency: 'EUR' });

function metadata(occurredAt: string, reason?: string): EventMetadata {
  const requestId = randomUUID();
  return {
    correlationId: requestId,
    causationId: requestId,
    actor: ACTOR,
    occurredAt,
    schemaVersion: 1,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A `ProductRegistered` for a fresh product (its own new stream). */
export function registration(
  index: number,
  at = new Date(BASE_TIME + index * 1000).toISOString(),
): { streamId: string; event: NewEvent } {
  const productId = randomUUID();
  const category = CATEGORIES[index % CATEGORIES.length];
  const noun = NOUNS[index % NOUNS.length];
  return {
    streamId: productStream(productId),
    event: {
      id: randomUUID(),
      type: 'ProductRegistered',
      data: {
        productId,
        sku: `${category.slice(0, 3).toUpperCase()}-${String(index).padStart(6, '0')}`,
        name: `${noun} #${index}`,
        category,
        dailyRate: eur(500 + (index % 40) * 125),
        deposit: eur(5000 + (index % 9) * 2500),
        stock: 1 + (index % 12),
        bufferDays: index % 3,
        registeredAt: at,
      },
      metadata: metadata(at),
    },
  };
}

interface ProductFacts {
  productId: string;
  streamId: string;
  revision: number;
  dailyRate: Money;
  deposit: Money;
  stock: number;
}

/**
 * A log of `products` registrations and `updates` repricings / stock adjustments, interleaved as
 * time goes by: every update hits a product registered before it, chosen at random (seeded).
 */
export function productEventLog(products: number, updates: number, seed = 42): PlannedEvent[] {
  const random = prng(seed);
  const log: PlannedEvent[] = [];
  const facts: ProductFacts[] = [];
  let registrationsLeft = products;
  let updatesLeft = updates;
  for (let i = 0; registrationsLeft + updatesLeft > 0; i++) {
    const at = new Date(BASE_TIME + i * 1000).toISOString();
    const register =
      facts.length === 0 || updatesLeft === 0 || random() < registrationsLeft / (registrationsLeft + updatesLeft);
    if (register) {
      registrationsLeft--;
      const { streamId, event } = registration(facts.length, at);
      const d = event.data as Extract<ProductEvent, { type: 'ProductRegistered' }>['data'];
      facts.push({
        productId: d.productId,
        streamId,
        revision: 0,
        dailyRate: d.dailyRate,
        deposit: d.deposit,
        stock: d.stock,
      });
      log.push({ streamId, revision: 0, event: event as PlannedEvent['event'] });
      continue;
    }
    updatesLeft--;
    const product = facts[Math.floor(random() * facts.length)];
    product.revision += 1;
    if (random() < 0.5) {
      const dailyRate = eur(
        Math.max(100, product.dailyRate.amount + 25 * (1 + Math.floor(random() * 8)) * (random() < 0.5 ? -1 : 1)),
      );
      const deposit = random() < 0.3 ? eur(product.deposit.amount + 500) : product.deposit;
      log.push({
        streamId: product.streamId,
        revision: product.revision,
        event: {
          id: randomUUID(),
          type: 'ProductRepriced',
          data: {
            productId: product.productId,
            dailyRate,
            deposit,
            previousDailyRate: product.dailyRate,
            previousDeposit: product.deposit,
            repricedAt: at,
          },
          metadata: metadata(at),
        },
      });
      product.dailyRate = dailyRate;
      product.deposit = deposit;
    } else {
      const delta = random() < 0.5 && product.stock > 0 ? -1 : 1 + Math.floor(random() * 3);
      const reason = REASONS[Math.floor(random() * REASONS.length)];
      product.stock += delta;
      log.push({
        streamId: product.streamId,
        revision: product.revision,
        event: {
          id: randomUUID(),
          type: 'ProductStockAdjusted',
          data: { productId: product.productId, delta, stock: product.stock, reason, adjustedAt: at },
          metadata: metadata(at, reason),
        },
      });
    }
  }
  return log;
}

/** An event as a command of the bench's staff user would have appended it at `occurredAt` (the seeds' shape). */
export function seededEvent(type: string, data: object, occurredAt: string): NewEvent {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    metadata: {
      correlationId: id,
      causationId: id,
      actor: { userId: 'bench', role: 'staff' },
      occurredAt,
      schemaVersion: 1,
    },
  };
}
