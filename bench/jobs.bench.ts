/**
 * The durable jobs: enqueueing into the SQLite job store, then running them with the job engine (a
 * handler that does nothing, so what is measured is the engine and the store: claim under a lease,
 * complete), with one worker and with two workers on the same store, beside the bare claim-complete
 * loop on the store. Each job must run exactly once.
 */
import path from 'node:path';
import type { JobHandler, QueueName } from '../application/shared/job.js';
import { SystemClock } from '../infrastructure/clock/system.clock.js';
import { JobEngine } from '../infrastructure/jobs/job-engine.js';
import { SqliteJobStore } from '../infrastructure/jobs/sqlite.job-store.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { perSecond, progress, ratio, timed } from './support.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const concurrency: Record<QueueName, number> = { notifications: 4, payments: 2, reports: 1, maintenance: 2 };

export async function benchJobs(dir: string): Promise<{ measurements: object; ratios: Record<string, number> }> {
  const clock = new SystemClock();
  const logger = createLogger('bench', { silent: true });
  const runs = new Map<string, number>();
  const handler: JobHandler = {
    type: 'bench.noop',
    queue: 'notifications',
    handle: async (_payload, context) => {
      runs.set(context.jobId, (runs.get(context.jobId) ?? 0) + 1);
    },
  };
  const engineOn = (store: SqliteJobStore, workerId: string) =>
    new JobEngine({
      store,
      handlers: [handler],
      schedules: [],
      clock,
      logger,
      workerId,
      timeZone: 'UTC',
      concurrency,
      leaseMs: 60_000,
      pollMs: 1000,
      retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 },
    });
  /** As a workflow enqueues from a batch of events: 500 at a time, in parallel (one transaction for each tick's). */
  const enqueueAll = async (store: SqliteJobStore, prefix: string) => {
    const now = clock.now();
    for (let start = 0; start < JOBS; start += 500)
      await Promise.all(
        Array.from({ length: Math.min(500, JOBS - start) }, (_, k) =>
          store.enqueue(
            { id: `${prefix}-${start + k}`, type: 'bench.noop', queue: 'notifications', payload: {}, runAt: now },
            now,
          ),
        ),
      );
  };
  const onceEach = (prefix: string) => {
    const ran = [...runs.entries()].filter(([id]) => id.startsWith(`${prefix}-`));
    return ran.length === JOBS && ran.every(([, n]) => n === 1);
  };

  const file = path.join(dir, 'jobs.db');
  const store = new SqliteJobStore(file);
  const other = new SqliteJobStore(file);
  try {
    progress(`jobs: enqueueing ${JOBS} jobs`);
    const enqueued = await timed(() => enqueueAll(store, 'one'));
    progress('jobs: one worker runs them');
    const one = await timed(() => engineOn(store, 'w1').drain());
    const oneOk = onceEach('one');

    await enqueueAll(store, 'two');
    progress('jobs: two workers on the same file run them');
    const two = await timed(() => Promise.all([engineOn(store, 'w1').drain(), engineOn(other, 'w2').drain()]));
    const twoOk = onceEach('two');

    await enqueueAll(store, 'bare');
    progress('jobs: the bare claim-complete loop');
    const bare = await timed(async () => {
      for (;;) {
        const job = await store.claim('notifications', 'bare', clock.now(), 60_000);
        if (!job) return;
        await store.complete(job.id, 'bare', clock.now());
      }
    });
    const enqueueRate = perSecond(JOBS, enqueued.ms);
    const oneRate = perSecond(JOBS, one.ms);
    const twoRate = perSecond(JOBS, two.ms);
    const bareRate = perSecond(JOBS, bare.ms);
    return {
      measurements: {
        jobsEnqueue: { value: enqueueRate, unit: 'jobs/s', params: { jobs: JOBS, store: 'sqlite' } },
        jobsRunOneWorker: {
          value: oneRate,
          unit: 'jobs/s',
          params: { jobs: JOBS, concurrency: concurrency.notifications },
          valid: oneOk,
          ...(oneOk ? {} : { invalidReason: 'a job did not run exactly once' }),
        },
        jobsRunTwoWorkers: {
          value: twoRate,
          unit: 'jobs/s',
          params: { jobs: JOBS, workers: 2, connections: 2 },
          valid: twoOk,
          ...(twoOk ? {} : { invalidReason: 'a job did not run exactly once' }),
        },
        jobsBareClaimComplete: { value: bareRate, unit: 'jobs/s', params: { jobs: JOBS } },
      },
      ratios: { jobEngineVsBareClaimComplete: ratio(oneRate, bareRate) },
    };
  } finally {
    await store.close();
    await other.close();
  }
}
