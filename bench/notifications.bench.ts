/**
 * Notifications (issue 10), on the embedded stores with the outbox folder:
 * - throughput: 10,000 `OrderPlaced` events already in the log (100 customers), then the worker
 *   starts: the notifications workflow queues a job per event, the job engine sends each (template,
 *   encryption under the customer's key, one `.eml` file written and synced): mails a second until
 *   the 10,000th file is in the outbox;
 * - latency: the time from an order's confirmation (the command answered: `OrderConfirmed` is in the
 *   log) to its mail in the outbox, p50 and p99 over 300 confirmations, while other orders are placed
 *   through the same application all along.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterCustomerCommand } from '../application/customer/register-customer.command.js';
import { NOTIFICATIONS_READ_MODEL, type NotificationDoc } from '../application/notification/notification.view.js';
import { ConfirmOrderCommand } from '../application/order/confirm-order.command.js';
import { PlaceOrderCommand } from '../application/order/place-order.command.js';
import type { NewEvent } from '../application/ports/event-store.port.js';
import { RegisterProductCommand } from '../application/product/register-product.command.js';
import type { CommandContext } from '../application/shared/command-context.js';
import { openInfrastructure, type Infrastructure } from '../bin/composition/infrastructure.js';
import { createApi, startProjector, startWorker } from '../bin/composition/processes.js';
import { loadConfig } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { outboxDir } from '../infrastructure/mail/outbox-folder.mailer.js';
import { perSecond, progress, round } from './support.js';

/** `BENCH_NOTIFICATIONS_EVENTS`: OrderPlaced events of the throughput part (a reduced run: fewer). */
const EVENTS = Number(process.env.BENCH_NOTIFICATIONS_EVENTS ?? 10_000);
/** `BENCH_NOTIFICATIONS_CONFIRMATIONS`: confirmations whose mail the latency part times. */
const CONFIRMATIONS = Number(process.env.BENCH_NOTIFICATIONS_CONFIRMATIONS ?? 300);
/**
 * `BENCH_NOTIFICATIONS_BACKGROUND_PER_S`: orders placed a second beside the timed ones. Paced: unpaced,
 * the placements (each one a mail) outran the mails sent (2026-12-02, load 20: 13 jobs queued a second,
 * 6.5 sent), the queue grew without end and the latency part never ended.
 */
const BACKGROUND_PER_S = Number(process.env.BENCH_NOTIFICATIONS_BACKGROUND_PER_S ?? 2);
/** A timed mail not sent by then: the run is invalid (it does not wait for ever). */
const LATENCY_WAIT_MS = 120_000;

const ctx: CommandContext = { actor: { userId: 'bench', role: 'staff' }, correlationId: 'bench', causationId: 'bench' };
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], 1);
const files = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.eml.sealed')).length;
  } catch {
    return 0;
  }
};

async function caughtUp(infra: Infrastructure, projection: string) {
  const head = await infra.events.headPosition();
  while (((await infra.store.getCheckpoint(projection)) ?? 0n) < head) await sleep(20);
}

const env = (dir: string) =>
  loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    HOLD_EXPIRY_NOTICE_SECONDS: '0',
  });

export async function benchNotifications(dir: string) {
  const measurements: Record<string, object> = {};
  const logger = createLogger('bench', { silent: true });

  // Throughput: 10,000 OrderPlaced already in the log, then the worker starts.
  {
    const config = env(path.join(dir, 'throughput'));
    const infra = await openInfrastructure(config, logger);
    const projector = await startProjector(infra, config, logger);
    const app = await createApi(infra, config, logger);
    const bus = app.get(CommandBus);
    const customers: string[] = [];
    for (let i = 0; i < 100; i++)
      customers.push(
        (await bus.execute(new RegisterCustomerCommand({ name: `Bench ${i}`, email: `bench${i}@example.com` }, ctx)))
          .customerId,
      );
    const total = EVENTS;
    const now = new Date().toISOString();
    // Holds that run out tomorrow: the expiry job has nothing to do while the mails are measured.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    for (let batch = 0; batch < Math.ceil(total / 500); batch++)
      await Promise.all(
        Array.from({ length: Math.min(500, total - batch * 500) }, async (_, i) => {
          const orderId = randomUUID();
          const event: NewEvent = {
            id: randomUUID(),
            type: 'OrderPlaced',
            data: {
              orderId,
              customerId: customers[(batch * 500 + i) % customers.length],
              rentalStart: day(10),
              rentalEnd: day(12),
              rentalDays: 2,
              items: [],
              subtotal: eur(4000),
              deposit: eur(5000),
              holdExpiresAt: later,
              fulfilment: { method: 'pickup' },
              placedAt: now,
            },
            metadata: {
              correlationId: 'bench',
              causationId: 'bench',
              actor: { userId: 'bench', role: 'staff' },
              occurredAt: now,
              schemaVersion: 1,
            },
          };
          await infra.events.append(`order-${orderId}`, [event], 'no_stream');
        }),
      );
    await caughtUp(infra, 'customers');
    progress(`notifications: ${total} OrderPlaced in the log; starting the worker`);
    const outbox = outboxDir(config.dataDir);
    const t0 = performance.now();
    const worker = await startWorker(app, infra, config, logger);
    while (files(outbox) < total) {
      if (performance.now() - t0 > 600_000) break;
      await sleep(100);
    }
    const ms = performance.now() - t0;
    const sent = files(outbox);
    measurements.notificationThroughput = {
      value: perSecond(sent, ms),
      unit: 'mails/s',
      params: { events: total, customers: customers.length, mails: sent, seconds: round(ms / 1000, 1) },
      valid: sent === total,
      ...(sent === total
        ? {}
        : { invalidReason: `${sent} of ${total} mails within 600 s (the bench's limit, not a stall)` }),
    };
    await worker.stop();
    await app.close();
    await projector.stop();
    await infra.close();
  }

  // Latency from OrderConfirmed to its mail, while orders are being placed.
  {
    const config = env(path.join(dir, 'latency'));
    const infra = await openInfrastructure(config, logger);
    const projector = await startProjector(infra, config, logger);
    const app = await createApi(infra, config, logger);
    const worker = await startWorker(app, infra, config, logger);
    const bus = app.get(CommandBus);
    const { customerId } = await bus.execute(
      new RegisterCustomerCommand({ name: 'Latency Bench', email: 'latency@example.com' }, ctx),
    );
    const products: string[] = [];
    for (let i = 0; i < 20; i++)
      products.push(
        (
          await bus.execute(
            new RegisterProductCommand(
              {
                sku: `N-${randomUUID()}`,
                name: 'Bench item',
                category: 'bench',
                dailyRate: eur(1000),
                deposit: eur(0),
                stock: 1_000_000,
              },
              ctx,
            ),
          )
        ).productId,
      );
    await caughtUp(infra, 'customers');
    const place = (n: number) =>
      bus.execute(
        new PlaceOrderCommand(
          {
            customerId,
            rentalStart: day(5 + (n % 30)),
            rentalEnd: day(7 + (n % 30)),
            items: [{ productId: products[n % products.length], quantity: 1 }],
          },
          ctx,
        ),
      );
    let background = true;
    let placedInBackground = 0;
    const load = (async () => {
      const start = performance.now();
      while (background) {
        await place(placedInBackground++);
        const due = start + (placedInBackground * 1000) / BACKGROUND_PER_S;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();
    const notifications = infra.store.collection<NotificationDoc>(NOTIFICATIONS_READ_MODEL);
    const latencies: number[] = [];
    const count = CONFIRMATIONS;
    let unsent = 0;
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < count) {
          const { orderId } = await place(1000 + next++);
          await bus.execute(new ConfirmOrderCommand(orderId, ctx));
          const confirmedAt = Date.now();
          for (;;) {
            if (Date.now() - confirmedAt > LATENCY_WAIT_MS) {
              unsent++;
              break;
            }
            const mail = await notifications.findOne({ orderId, template: 'order-confirmed', status: 'sent' });
            if (mail?.sentAt) {
              latencies.push(Date.parse(mail.sentAt) - confirmedAt);
              break;
            }
            await sleep(2);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    background = false;
    await load;
    latencies.sort((a, b) => a - b);
    measurements.orderConfirmedToMail = {
      value: percentile(latencies, 50),
      unit: 'ms (p50)',
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) },
      params: {
        confirmations: count,
        ordersPlacedMeanwhile: placedInBackground,
        ordersPerSecondMeanwhile: round(placedInBackground / seconds),
      },
      valid: unsent === 0,
      ...(unsent === 0
        ? {}
        : { invalidReason: `${unsent} of ${count} mails not sent within ${LATENCY_WAIT_MS / 1000} s` }),
    };
    await worker.stop();
    await app.close();
    await projector.stop();
    await infra.close();
  }
  return { measurements, ratios: {} };
}
