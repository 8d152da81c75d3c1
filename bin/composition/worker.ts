import type { Logger } from '../../application/ports/logger.port.js';
import type { Doc } from '../../application/ports/read-store.port.js';
import type { Settings } from '../../application/ports/settings.port.js';
import { ExpireOrderCommand } from '../../application/order/expire-order.command.js';
import { ExpireOrderHandler } from '../../application/order/expire-order.handler.js';
import { OrderProcessManager } from '../../application/order/order-process-manager.js';
import { releaseOrphanHolds } from '../../application/order/orphan-holds.js';
import { ORDERS_READ_MODEL, type OrderDoc } from '../../application/order/order.view.js';
import { systemContext } from '../../application/shared/command-context.js';
import { CommandPath } from '../../application/shared/command-path.js';
import { CoreDeps } from '../../application/shared/core-deps.js';
import { ProcessManagerRunner } from '../../application/shared/process-manager-runner.js';
import { IDEMPOTENCY_COLLECTION } from '../../api/http/platform/hooks/idempotency.hooks.js';
import { JobScheduler, type JobStatus } from '../../infrastructure/jobs/job-scheduler.js';
import type { Infrastructure } from './infrastructure.js';

export interface Worker {
  scheduler: JobScheduler;
  processManagers: ProcessManagerRunner[];
  status(): { jobs: JobStatus[]; processManagers: Array<{ checkpoint: string; position: string | null; lastError: string | null }> };
  stop(): Promise<void>;
}

/** How often reserved orders whose hold ran out are expired (and their units released). */
export const EXPIRE_HOLDS_EVERY_MS = 15_000;

/**
 * The worker process: process managers over the durable log, and scheduled jobs with retries
 * (expiring stale holds, releasing holds no order claimed, purging spent idempotency keys).
 */
export function startWorker(infra: Infrastructure, settings: Settings, logger: Logger): Worker {
  const path = new CommandPath(infra.events, infra.clock, infra.ids, logger);
  const deps = new CoreDeps(infra.clock, infra.ids, settings, logger);
  const processManagers = [new ProcessManagerRunner(new OrderProcessManager({ path, clock: infra.clock, logger }), infra.events, infra.store, logger)];
  for (const pm of processManagers) pm.start();

  const scheduler = new JobScheduler(logger, infra.clock);
  scheduler.every('expire-holds', EXPIRE_HOLDS_EVERY_MS, async () => {
    const orders = infra.store.collection<OrderDoc>(ORDERS_READ_MODEL);
    const stale = await orders.find({ status: 'reserved', holdExpiresAt: { $lte: infra.clock.now().toISOString() } }, { limit: 500 });
    const expire = new ExpireOrderHandler(path, deps);
    let expired = 0;
    for (const order of stale) {
      try {
        await expire.execute(new ExpireOrderCommand(order.orderId, systemContext(`expire-${order.orderId}`)));
        expired++;
      } catch (error) {
        logger.warn('could not expire order', { orderId: order.orderId, error: (error as Error).message });
      }
    }
    return { expired, found: stale.length };
  });
  scheduler.every('release-orphan-holds', 60_000, () => releaseOrphanHolds({ path, clock: infra.clock, logger }, infra.store));
  scheduler.every('purge-idempotency-keys', 10 * 60_000, async () => {
    await infra.store.ensureCollection({ name: IDEMPOTENCY_COLLECTION, indexes: [{ fields: { expiresAt: 1 } }] });
    const records = infra.store.collection<Doc & { expiresAt: string }>(IDEMPOTENCY_COLLECTION);
    let purged = 0;
    for (;;) {
      const expired = await records.find({ expiresAt: { $lt: infra.clock.now().toISOString() } }, { limit: 500 });
      for (const record of expired) await records.delete(record._id);
      purged += expired.length;
      if (expired.length < 500) return { purged };
    }
  });
  scheduler.start();
  return {
    scheduler,
    processManagers,
    status: () => ({
      jobs: scheduler.status(),
      processManagers: processManagers.map((pm) => ({ checkpoint: pm.checkpoint, position: pm.position === null ? null : String(pm.position), lastError: pm.lastError })),
    }),
    async stop() {
      await scheduler.stop();
      await Promise.all(processManagers.map((pm) => pm.stop()));
    },
  };
}
