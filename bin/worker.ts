import type { Logger } from '../application/ports/logger.port.js';
import type { Doc } from '../application/ports/read-store.port.js';
import { IDEMPOTENCY_COLLECTION } from '../api/http/idempotency.js';
import { JobScheduler } from '../infrastructure/jobs/job-scheduler.js';
import type { Infrastructure } from './infrastructure.js';

export type Worker = JobScheduler;

/** The worker process: scheduled jobs with retries (process managers join it with the rentals work). */
export function startWorker(infra: Infrastructure, logger: Logger): Worker {
  const scheduler = new JobScheduler(logger, infra.clock);
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
  return scheduler;
}
