import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { workflows } from '../../application/application.module.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { JOBS, type Job } from '../../application/shared/job.js';
import type { Workflow } from '../../application/shared/workflow.js';
import { JobScheduler, type JobStatus } from '../../infrastructure/jobs/job-scheduler.js';
import { PARKED_SPEC, parkEvent } from '../../projections/runner/projection-status.js';
import { WorkflowRunner } from '../../projections/runner/workflow-runner.js';
import type { Infrastructure } from './infrastructure.js';

export interface Worker {
  scheduler: JobScheduler;
  workflows: Array<WorkflowRunner<{ type: string; data: unknown }, unknown>>;
  status(): {
    jobs: JobStatus[];
    workflows: Array<{ checkpoint: string; state: string; position: string | null; lastError: string | null }>;
  };
  stop(): Promise<void>;
}

/**
 * The worker: the workflows on the durable subscriber, sending their commands through the
 * application's command bus, and the areas' scheduled jobs (with retries), run by the same modules
 * the API runs.
 */
export async function startWorker(
  app: INestApplicationContext,
  infra: Infrastructure,
  logger: Logger,
): Promise<Worker> {
  const commands = app.get(CommandBus, { strict: false });
  await infra.store.ensureCollection(PARKED_SPEC);
  const runners = workflows.map(
    (workflow) =>
      new WorkflowRunner({
        workflow: workflow as Workflow<{ type: string; data: unknown }, unknown>,
        events: infra.events,
        store: infra.store,
        logger,
        send: (command) => commands.execute(command),
        park: (event, error) => parkEvent(infra.store, `workflow:${workflow.name}`, event, error, infra.clock.now()),
      }),
  );
  for (const runner of runners)
    void runner
      .start()
      .catch((error: Error) =>
        logger.error('workflow stopped', { checkpoint: runner.checkpoint, error: error.message }),
      );

  const scheduler = new JobScheduler(logger, infra.clock);
  for (const job of app.get<Job[]>(JOBS, { strict: false })) scheduler.every(job.name, job.everyMs, () => job.run());
  scheduler.start();
  return {
    scheduler,
    workflows: runners,
    status: () => ({
      jobs: scheduler.status(),
      workflows: runners.map((r) => ({
        checkpoint: r.checkpoint,
        state: r.state,
        position: r.position === null ? null : String(r.position),
        lastError: r.lastError,
      })),
    }),
    async stop() {
      await scheduler.stop();
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
