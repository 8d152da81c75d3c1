/**
 * Order placement through the command bus of the real application (write side only: holds on every
 * product's stream, then the order), on the embedded event store:
 * - one-line and three-line orders, many in flight, over 50 products;
 * - growth with data: products with 0, 1,000, 10,000 and 50,000 past rentals (three booking events
 *   each; `BENCH_QUICK` stops at 10,000): placing orders on each, one after the other, first cold (a
 *   full replay, which then writes a snapshot) and then steady (snapshot plus the events after it),
 *   beside a full replay of its stream.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import type { NewEvent } from '../application/ports/event-store.port.js';
import { PlaceOrderCommand } from '../application/order/place-order.command.js';
import { RegisterProductCommand } from '../application/product/register-product.command.js';
import { productDecider } from '../domain/product/product.decider.js';
import type { CommandContext } from '../application/shared/command-context.js';
import { openInfrastructure } from '../bin/composition/infrastructure.js';
import { createApi } from '../bin/composition/processes.js';
import { loadConfig } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { perSecond, progress, prng, ratio, round } from './support.js';

const ctx: CommandContext = { actor: { userId: 'bench', role: 'staff' }, correlationId: 'bench', causationId: 'bench' };
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function percentile(sorted: number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], 2);
}

const meta = (at: string): NewEvent['metadata'] => ({
  correlationId: 'seed',
  causationId: 'seed',
  actor: { userId: 'bench', role: 'staff' },
  occurredAt: at,
  schemaVersion: 1,
});

export interface OrdersParams {
  /** Past rentals of the products placed on one after the other (growth with data). */
  pastRentals: number[];
  sequentialOrders: number;
}

export const defaultOrdersParams: OrdersParams = { pastRentals: [0, 1000, 10_000, 50_000], sequentialOrders: 200 };
export const quickOrdersParams: OrdersParams = { pastRentals: [0, 1000, 10_000], sequentialOrders: 100 };

export async function benchOrders(dir: string, params: OrdersParams = defaultOrdersParams) {
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'orders'),
    LOG_LEVEL: 'error',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
  });
  const logger = createLogger('bench', { silent: true });
  const infra = await openInfrastructure(config, logger);
  const app = await createApi(infra, config, logger);
  const bus = app.get(CommandBus);
  const random = prng(42);
  try {
    const customerId = randomUUID();
    await infra.events.append(
      `customer-${customerId}`,
      [
        {
          id: randomUUID(),
          type: 'CustomerRegistered',
          data: {
            customerId,
            name: 'Bench',
            email: 'bench@example.com',
            phone: null,
            address: null,
            userId: null,
            registeredAt: new Date().toISOString(),
          },
          metadata: meta(new Date().toISOString()),
        },
      ],
      'no_stream',
    );
    const register = async (stock: number) =>
      (
        await bus.execute(
          new RegisterProductCommand(
            {
              sku: `B-${randomUUID()}`,
              name: 'Bench item',
              category: 'bench',
              dailyRate: eur(1000),
              deposit: eur(0),
              stock,
            },
            ctx,
          ),
        )
      ).productId;
    const products: string[] = [];
    for (let i = 0; i < 50; i++) products.push(await register(100_000));

    const place = (productIds: string[], start: number, length: number) =>
      bus.execute(
        new PlaceOrderCommand(
          {
            customerId,
            rentalStart: day(start),
            rentalEnd: day(start + length),
            items: productIds.map((productId) => ({ productId, quantity: 1 })),
          },
          ctx,
        ),
      );

    async function throughput(lines: number, total: number, inFlight: number) {
      let next = 0;
      const latencies: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < total) {
            next++;
            const chosen = new Set<string>();
            while (chosen.size < lines) chosen.add(products[Math.floor(random() * products.length)]);
            const start = 1 + Math.floor(random() * 300);
            const t = performance.now();
            await place([...chosen], start, 1 + Math.floor(random() * 3));
            latencies.push(performance.now() - t);
          }
        }),
      );
      const ms = performance.now() - t0;
      latencies.sort((a, b) => a - b);
      return {
        value: perSecond(total, ms),
        unit: 'orders/s',
        latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
        params: { orders: total, lines, inFlight, products: products.length },
      };
    }

    progress('orders: one-line placements');
    const oneLine = await throughput(1, 2000, 32);
    progress(`orders: ${oneLine.value} one-line orders/s`);
    const threeLines = await throughput(3, 1000, 32);
    progress(`orders: ${threeLines.value} three-line orders/s`);

    /** A product with `rentals` past rentals (held, confirmed, released: three booking events each). */
    async function productWithPast(rentals: number) {
      const productId = await register(5);
      const history: NewEvent[] = [];
      for (let i = 0; i < rentals; i++) {
        const orderId = randomUUID();
        const from = day(-400 + (i % 300));
        const at = new Date(Date.now() - 500 * 86_400_000).toISOString();
        history.push(
          {
            id: randomUUID(),
            type: 'UnitsHeld',
            data: { productId, orderId, quantity: 1, from, to: from, holdExpiresAt: at, heldAt: at },
            metadata: meta(at),
          },
          {
            id: randomUUID(),
            type: 'HoldConfirmed',
            data: { productId, orderId, confirmedAt: at },
            metadata: meta(at),
          },
          {
            id: randomUUID(),
            type: 'UnitsReleased',
            data: { productId, orderId, reason: 'returned', releasedAt: at },
            metadata: meta(at),
          },
        );
      }
      for (let i = 0; i < history.length; i += 1000)
        await infra.events.append(`product-${productId}`, history.slice(i, i + 1000), 'any');
      const replay = performance.now();
      (await infra.events.readStream(`product-${productId}`)).reduce(
        (state, e) => productDecider.evolve(state, e as never),
        productDecider.initialState(),
      );
      return { productId, events: history.length + 1, fullReplayMs: performance.now() - replay };
    }

    async function sequential(productId: string, count: number) {
      const latencies: number[] = [];
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        await place([productId], 400 + i, 1);
        latencies.push(performance.now() - t);
      }
      const first = latencies[0];
      const rest = latencies.slice(1).sort((a, b) => a - b);
      return { firstMs: round(first, 2), p50: percentile(rest, 50), p99: percentile(rest, 99) };
    }

    // Growth with data: the same sequential placements on products with more and more past rentals.
    const growth: Array<{
      pastRentals: number;
      events: number;
      fullReplayMs: number;
      firstMs: number;
      p50: number;
      p99: number;
    }> = [];
    for (const rentals of params.pastRentals) {
      progress(`orders: a product with ${rentals} past rentals (${rentals * 3} booking events)`);
      const product = await productWithPast(rentals);
      const run = await sequential(product.productId, params.sequentialOrders);
      growth.push({ pastRentals: rentals, events: product.events, fullReplayMs: round(product.fullReplayMs), ...run });
      progress(
        `orders: ${rentals} past rentals: p50 ${run.p50} ms, p99 ${run.p99} ms (first ${run.firstMs} ms), full replay ${round(product.fullReplayMs)} ms`,
      );
    }
    const fresh = growth.find((g) => g.pastRentals === 0) ?? growth[0];
    const busy = growth.find((g) => g.pastRentals === 10_000) ?? growth[growth.length - 1];
    const largest = growth[growth.length - 1];
    const growthMeasurements = Object.fromEntries(
      growth.map((g) => [
        `placeOrderWith${g.pastRentals}PastRentals`,
        {
          value: g.p50,
          unit: 'ms (p50, sequential)',
          latencyMs: { first: g.firstMs, p50: g.p50, p99: g.p99 },
          params: {
            pastRentals: g.pastRentals,
            pastEvents: g.events,
            orders: params.sequentialOrders,
            fullReplayMs: g.fullReplayMs,
            note: 'the first placement loads the stream (a full replay without a snapshot yet, which it then writes); the rest load snapshot + tail',
          },
        },
      ]),
    );

    return {
      measurements: {
        placeOrderOneLine: oneLine,
        placeOrderThreeLines: threeLines,
        ...growthMeasurements,
        placeOrderBusyProduct: {
          value: busy.p50,
          unit: 'ms (p50, sequential)',
          latencyMs: { first: busy.firstMs, p50: busy.p50, p99: busy.p99 },
          params: { pastRentals: busy.pastRentals, pastEvents: busy.events, orders: params.sequentialOrders },
        },
        placeOrderFreshProduct: {
          value: fresh.p50,
          unit: 'ms (p50, sequential)',
          latencyMs: { first: fresh.firstMs, p50: fresh.p50, p99: fresh.p99 },
          params: { orders: params.sequentialOrders },
        },
        productFullReplay: { value: busy.fullReplayMs, unit: 'ms', params: { events: busy.events } },
      },
      ratios: {
        busyVsFreshPlacement: ratio(busy.p50, fresh.p50),
        [`placementWith${largest.pastRentals}PastRentalsVsFresh`]: ratio(largest.p50, fresh.p50),
      },
    };
  } finally {
    await app.close();
    await infra.close();
  }
}
