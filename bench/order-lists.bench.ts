/**
 * Growth with data on the read side: `GET /v1/orders` pages with 1,000, 10,000 and 100,000 orders
 * (BENCH_QUICK: 1,000 and 10,000), through the real app's HTTP pipeline (Nest on Fastify, `inject`,
 * a staff token; no socket). The orders are seeded into the event store as the application writes
 * them (through the event codec) over 200 products: one popular product in a fifth of the orders,
 * one with three orders, one with none, the rest at random. The projector is stopped while each
 * size's new orders are appended, then started again: its catch-up (every projection) is timed too.
 *
 * Queries at each size: the default first page, the next page (cursor), `?productId=` of the popular,
 * the rare and the order-less product, and a date window no order matches.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { CreateUserCommand } from '../application/identity/create-user.command.js';
import { LoginCommand } from '../application/identity/login.command.js';
import { systemContext } from '../application/shared/command-context.js';
import { openInfrastructure } from '../bin/composition/infrastructure.js';
import { createApi, startProjector } from '../bin/composition/processes.js';
import { loadConfig } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import type { Projector } from '../projections/runner/projector.js';
import { perSecond, prng, progress, ratio, round } from './support.js';
import { seededEvent } from './fixtures.js';

export interface OrderListParams {
  sizes: number[];
  products: number;
  /** Timed repetitions of each query (after one untimed). */
  repetitions: number;
}

export const defaultOrderListParams: OrderListParams = {
  sizes: [1000, 10_000, 100_000],
  products: 200,
  repetitions: 10,
};
export const quickOrderListParams: OrderListParams = { sizes: [1000, 10_000], products: 200, repetitions: 5 };

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const DAY = 86_400_000;

const event = seededEvent;

export async function benchOrderLists(dir: string, params: OrderListParams = defaultOrderListParams) {
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'order-lists'),
    LOG_LEVEL: 'error',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    ARGON2_MEMORY_KIB: '64',
    ARGON2_TIME_COST: '1',
    RATE_LIMIT_QUERIES: '100000000',
  });
  const logger = createLogger('bench', { silent: true });
  const infra = await openInfrastructure(config, logger);
  let projector: Projector = await startProjector(infra, config, logger);
  const app = await createApi(infra, config, logger);
  const measurements: Record<string, { value: number; unit: string; [key: string]: unknown }> = {};
  const ratios: Record<string, number> = {};
  try {
    const bus = app.get(CommandBus);
    const ctx = systemContext('bench');
    const staff = { email: 'bench-lists@bench.example', password: 'quiet-harbour-lantern-42' };
    await bus.execute(new CreateUserCommand({ ...staff, name: 'Bench staff', roles: ['staff'] }, ctx));
    const { accessToken } = await bus.execute(new LoginCommand(staff, { userAgent: 'bench', ipAddress: null }, ctx));
    const authorization = `Bearer ${accessToken as string}`;
    // The token's session is checked against its read model: wait for the projector to have it.
    for (let tries = 0; ; tries++) {
      const r = await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization } });
      if (r.statusCode === 200) break;
      if (tries > 600) throw new Error(`GET /v1/orders answered ${r.statusCode}: ${r.body}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const base = Date.parse('2027-01-01T08:00:00Z');
    const products = Array.from({ length: params.products }, () => randomUUID());
    const [popular, rare, none] = products;
    await Promise.all(
      products.map((productId, i) =>
        infra.events.append(
          `product-${productId}`,
          [
            event(
              'ProductRegistered',
              {
                productId,
                sku: `LIST-${i}`,
                name: `Product ${i}`,
                category: 'tools',
                dailyRate: eur(1000),
                deposit: eur(2000),
                stock: 1000,
                bufferDays: 0,
                registeredAt: new Date(base).toISOString(),
              },
              new Date(base).toISOString(),
            ),
          ],
          'no_stream',
        ),
      ),
    );
    const random = prng(11);
    const customerId = randomUUID();
    let seeded = 0;
    const productFor = (n: number): string => {
      if (n < 3) return rare;
      if (random() < 0.2) return popular;
      return products[3 + Math.floor(random() * (products.length - 3))];
    };
    const seedOrders = async (count: number) => {
      const chunk = 1000;
      for (let done = 0; done < count; done += chunk) {
        const batch = Array.from({ length: Math.min(chunk, count - done) }, () => {
          const n = seeded++;
          const orderId = randomUUID();
          const placed = base + n * 60_000;
          const at = new Date(placed).toISOString();
          const rentalStart = new Date(placed + DAY).toISOString().slice(0, 10);
          const rentalEnd = new Date(placed + 3 * DAY).toISOString().slice(0, 10);
          const productId = productFor(n);
          return infra.events.append(
            `order-${orderId}`,
            [
              event(
                'OrderPlaced',
                {
                  orderId,
                  customerId,
                  rentalStart,
                  rentalEnd,
                  rentalDays: 3,
                  items: [
                    {
                      productId,
                      sku: 'SKU',
                      name: 'Product',
                      quantity: 1,
                      dailyRate: eur(1000),
                      unitDeposit: eur(2000),
                      lineTotal: eur(3000),
                    },
                  ],
                  subtotal: eur(3000),
                  deposit: eur(2000),
                  holdExpiresAt: new Date(placed + 1_800_000).toISOString(),
                  fulfilment: { method: 'pickup' },
                  placedAt: at,
                },
                at,
              ),
            ],
            'no_stream',
          );
        });
        await Promise.all(batch);
      }
    };

    const get = async (url: string) => {
      const response = await app.inject({ method: 'GET', url, headers: { authorization } });
      if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${response.body}`);
      return response.json<{ items: unknown[]; nextCursor: string | null }>();
    };
    const time = async (url: string) => {
      const first = await get(url); // untimed: the statement is prepared, the pages cached
      const latencies: number[] = [];
      for (let i = 0; i < params.repetitions; i++) {
        const t0 = performance.now();
        await get(url);
        latencies.push(performance.now() - t0);
        if (latencies[0] > 2000) break; // a full scan at this size: one timing says enough
      }
      latencies.sort((a, b) => a - b);
      return {
        p50: round(latencies[Math.floor(latencies.length / 2)], 2),
        max: round(latencies[latencies.length - 1], 2),
        items: first.items.length,
        runs: latencies.length,
        nextCursor: first.nextCursor,
      };
    };

    for (const size of params.sizes) {
      // The projector stopped while the orders are seeded, then started again: its catch-up is timed.
      await projector.stop();
      progress(`order lists: seeding up to ${size} orders (projector stopped)`);
      await seedOrders(size - seeded);
      const head = await infra.events.headPosition();
      progress(`order lists: projector catching up over ${size} orders (every projection, to position ${head})`);
      const t0 = performance.now();
      projector = await startProjector(infra, config, logger);
      for (;;) {
        const detail = projector.health().detail;
        const failed = detail.find((d) => d.state === 'failed');
        if (failed) throw new Error(`projection ${failed.name} failed: ${failed.lastError}`);
        if (detail.every((d) => d.position !== null && BigInt(d.position) >= head)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const rebuildMs = performance.now() - t0;
      const label = size >= 1000 ? `${size / 1000}k` : String(size);
      const first = await time('/v1/orders');
      const queries = {
        firstPage: first,
        nextPage: first.nextCursor ? await time(`/v1/orders?cursor=${encodeURIComponent(first.nextCursor)}`) : null,
        popularProduct: await time(`/v1/orders?productId=${popular}`),
        rareProduct: await time(`/v1/orders?productId=${rare}`),
        productWithoutOrders: await time(`/v1/orders?productId=${none}`),
        emptyDateWindow: await time('/v1/orders?from=2099-01-01&to=2099-01-31'),
      };
      progress(
        `order lists: ${size} orders: first page ${first.p50} ms, rare product ${queries.rareProduct.p50} ms, product without orders ${queries.productWithoutOrders.p50} ms, empty date window ${queries.emptyDateWindow.p50} ms`,
      );
      for (const [name, q] of Object.entries(queries)) {
        if (!q) continue;
        const { nextCursor: _cursor, ...figures } = q;
        measurements[`listOrders${label}${name[0].toUpperCase()}${name.slice(1)}`] = {
          value: q.p50,
          unit: 'ms (p50)',
          ...figures,
          params: { orders: size, products: params.products, via: 'GET /v1/orders through app.inject, staff token' },
        };
      }
      measurements[`projectorCatchUp${label}Orders`] = {
        value: round(rebuildMs / 1000, 2),
        unit: 's',
        params: {
          orders: size,
          newOrders: size - (params.sizes[params.sizes.indexOf(size) - 1] ?? 0),
          ordersPerSecond: perSecond(size - (params.sizes[params.sizes.indexOf(size) - 1] ?? 0), rebuildMs),
          how: 'the projector (every projection) started after the new orders were appended, until each reached the head',
        },
      };
    }
    const smallest = params.sizes[0];
    const largest = params.sizes[params.sizes.length - 1];
    const k = (n: number) => `${n / 1000}k`;
    for (const q of ['FirstPage', 'RareProduct', 'ProductWithoutOrders']) {
      const a = measurements[`listOrders${k(largest)}${q}`]?.value;
      const b = measurements[`listOrders${k(smallest)}${q}`]?.value;
      if (a !== undefined && b) ratios[`listOrders${q}${k(largest)}Vs${k(smallest)}`] = ratio(a, b);
    }
    return { measurements, ratios };
  } finally {
    await app.close();
    await projector.stop();
    await infra.close();
  }
}
