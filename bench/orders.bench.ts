/**
 * Order placement through the command bus of the real application (write side only: holds on every
 * product's stream, then the order), on the embedded event store:
 * - one-line and three-line orders, many in flight, over 50 products;
 * - a product with 10,000 past rentals (30,000 booking events): placing an order on it, first cold
 *   (a full replay, which then writes a snapshot) and then steady (snapshot plus the events after
 *   it), beside the same on a fresh product and beside a full replay of its stream.
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

export async function benchOrders(dir: string) {
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

    progress('orders: a product with 10,000 past rentals (30,000 booking events)');
    const busy = await register(5);
    const history: NewEvent[] = [];
    for (let i = 0; i < 10_000; i++) {
      const orderId = randomUUID();
      const from = day(-400 + (i % 300));
      const at = new Date(Date.now() - 500 * 86_400_000).toISOString();
      history.push(
        {
          id: randomUUID(),
          type: 'UnitsHeld',
          data: { productId: busy, orderId, quantity: 1, from, to: from, holdExpiresAt: at, heldAt: at },
          metadata: meta(at),
        },
        {
          id: randomUUID(),
          type: 'HoldConfirmed',
          data: { productId: busy, orderId, confirmedAt: at },
          metadata: meta(at),
        },
        {
          id: randomUUID(),
          type: 'UnitsReleased',
          data: { productId: busy, orderId, reason: 'returned', releasedAt: at },
          metadata: meta(at),
        },
      );
    }
    for (let i = 0; i < history.length; i += 1000)
      await infra.events.append(`product-${busy}`, history.slice(i, i + 1000), 'any');
    const replay = performance.now();
    (await infra.events.readStream(`product-${busy}`)).reduce(
      (state, e) => productDecider.evolve(state, e as never),
      productDecider.initialState(),
    );
    const fullReplayMs = performance.now() - replay;

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
    const busyRun = await sequential(busy, 200);
    const freshRun = await sequential(await register(5), 200);
    progress(
      `orders: busy product p50 ${busyRun.p50} ms (first ${busyRun.firstMs} ms), fresh product p50 ${freshRun.p50} ms, full replay ${round(fullReplayMs)} ms`,
    );

    return {
      measurements: {
        placeOrderOneLine: oneLine,
        placeOrderThreeLines: threeLines,
        placeOrderBusyProduct: {
          value: busyRun.p50,
          unit: 'ms (p50, sequential)',
          latencyMs: { first: busyRun.firstMs, p50: busyRun.p50, p99: busyRun.p99 },
          params: {
            pastRentals: 10_000,
            pastEvents: history.length,
            orders: 200,
            note: 'the first placement replays the whole stream and writes a snapshot; the rest load snapshot + tail',
          },
        },
        placeOrderFreshProduct: {
          value: freshRun.p50,
          unit: 'ms (p50, sequential)',
          latencyMs: { first: freshRun.firstMs, p50: freshRun.p50, p99: freshRun.p99 },
          params: { orders: 200 },
        },
        productFullReplay: { value: round(fullReplayMs), unit: 'ms', params: { events: history.length + 1 } },
      },
      ratios: { busyVsFreshPlacement: ratio(busyRun.p50, freshRun.p50) },
    };
  } finally {
    await app.close();
    await infra.close();
  }
}
