import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Tracer } from '@opentelemetry/api';
import { workflows } from '../../application/application.module.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { JOB_HANDLERS, SCHEDULES, type JobHandler, type Schedule } from '../../application/shared/job.js';
import type { Workflow } from '../../application/shared/workflow.js';
import type { Config } from '../../infrastructure/config/config.js';
import { JobEngine } from '../../infrastructure/jobs/job-engine.js';
import { PARKED_SPEC, parkEvent } from '../../projections/runner/projection-status.js';
import { LeaseKeeper } from '../../projections/runner/lease-keeper.js';
import { WorkflowRunner } from '../../projections/runner/workflow-runner.js';
import type { Infrastructure } from './infrastructure.js';

export interface Worker {
  /** The durable jobs engine: the areas' job handlers and schedules, over the job store. */
  jobs: JobEngine;
  workflows: Array<WorkflowRunner<{ type: string; data: unknown }, unknown>>;
  status(): {
    jobs: ReturnType<JobEngine['status']>;
    workflows: Array<{ checkpoint: string; state: string; position: string | null; lastError: string | null }>;
  };
  stop(): Promise<void>;
}

/**
 * The worker: the workflows on the durable subscriber, sending their commands through the
 * application's command bus, and the job engine running the areas' job handlers and schedules (with
 * leases, retries and dead jobs in the job store), on the same modules the API runs. Each workflow runs
 * in one worker at a time, under a lease in the read store (LeaseKeeper; a stale holder's commit is refused).
 */
export async function startWorker(
  app: INestApplicationContext,
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  tracer?: Tracer,
): Promise<Worker> {
  const commands = app.get(CommandBus, { strict: false });
  await infra.store.ensureCollection(PARKED_SPEC);
  let keeper: LeaseKeeper | null = null;
  const runners = workflows.map(
    (workflow) =>
      new WorkflowRunner({
        lease: () => keeper?.token(workflow.name) ?? null,
        workflow: workflow as Workflow<{ type: string; data: unknown }, unknown>,
        events: infra.events,
        store: infra.store,
        logger,
        send: (command) => commands.execute(command),
        tracer,
        park: (event, error) => parkEvent(infra.store, `workflow:${workflow.name}`, event, error, infra.clock.now()),
      }),
  );
  // Each workflow runs in one worker at a time (its lease, as a projection's in the projector).
  const byName = new Map(workflows.map((w, i) => [w.name, runners[i]]));
  keeper = new LeaseKeeper({
    store: infra.store,
    clock: infra.clock,
    logger,
    kind: 'workflow',
    units: workflows.map((w) => w.name),
    holder: infra.processes.self.id,
    ttlMs: config.projectionLeaseMs,
    onAcquired: async (name) => {
      const runner = byName.get(name)!;
      void runner
        .start()
        .catch((error: Error) =>
          logger.error('workflow stopped', { checkpoint: runner.checkpoint, error: error.message }),
        );
    },
    onLost: (name) => byName.get(name)!.stop(),
  });
  await keeper.start();

  const engine = new JobEngine({
    store: infra.jobs,
    handlers: app.get<JobHandler[]>(JOB_HANDLERS, { strict: false }),
    schedules: app.get<Schedule[]>(SCHEDULES, { strict: false }),
    clock: infra.clock,
    logger: logger.child({ component: 'jobs' }),
    workerId: infra.processes.self.id,
    timeZone: config.shopTimeZone,
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.leaseMs,
    pollMs: config.jobs.pollMs,
    retry: config.jobs.retry,
    retryByType: config.jobs.retryByType,
    observer: infra.jobMetrics,
  });
  engine.start();
  return {
    jobs: engine,
    workflows: runners,
    status: () => ({
      jobs: engine.status(),
      workflows: runners.map((r) => ({
        checkpoint: r.checkpoint,
        state: r.state,
        position: r.position === null ? null : String(r.position),
        lastError: r.lastError,
      })),
    }),
    async stop() {
      await engine.stop(config.jobs.shutdownGraceMs);
      await keeper?.stop();
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
