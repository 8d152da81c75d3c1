import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Cron } from 'croner';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { JOB_STORE, type JobRecord, type JobStore } from '../ports/job-store.port.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from '../ports/process-registry.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { QUEUE_NAMES, SCHEDULES, scheduleJobType, type QueueName, type Schedule } from './job.js';

/** A schedule's latest slot: `succeeded`, `failed` (it will be retried), `running` or `dead`. */
export type SlotStatus = 'succeeded' | 'failed' | 'running' | 'dead' | 'pending';

export interface JobsView {
  queues: Array<{ name: QueueName; pending: number; running: number; failed: number }>;
  schedules: Array<{
    name: string;
    cron: string;
    queue: QueueName;
    enabled: boolean;
    lastRunAt: string | null;
    lastStatus: SlotStatus | null;
    nextRunAt: string | null;
  }>;
  workers: Array<{ workerId: string; host: string; lastHeartbeatAt: string }>;
  failed: Array<{
    jobId: string;
    type: string;
    queue: QueueName;
    attempts: number;
    lastError: string | null;
    failedAt: string | null;
  }>;
}

export class GetJobsQuery extends Query<JobsView> {
  constructor(readonly failedLimit = 100) {
    super();
  }
}

const statusOf = (job: JobRecord): SlotStatus => {
  if (job.state === 'done') return 'succeeded';
  if (job.state === 'pending') return job.lastError === null ? 'pending' : 'failed';
  return job.state;
};

/** What the background work is doing: every queue's counts, every schedule's last and next slot, the live workers, the dead jobs. */
@QueryHandler(GetJobsQuery)
export class GetJobsHandler implements IQueryHandler<GetJobsQuery> {
  constructor(
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    @Inject(SCHEDULES) private readonly schedules: Schedule[],
    @Inject(PROCESS_REGISTRY) private readonly processes: ProcessRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async execute({ failedLimit }: GetJobsQuery): Promise<JobsView> {
    const now = this.clock.now();
    const [counts, dead, beats, lastRuns] = await Promise.all([
      this.jobs.counts(),
      this.jobs.dead(failedLimit),
      this.processes.beats(),
      Promise.all(this.schedules.map((s) => this.jobs.lastRun(scheduleJobType(s.name)))),
    ]);
    const staleBefore = now.getTime() - this.processes.staleAfterMs;
    return {
      queues: QUEUE_NAMES.map((name) => {
        const c = counts.find((q) => q.queue === name);
        return { name, pending: c?.pending ?? 0, running: c?.running ?? 0, failed: c?.failed ?? 0 };
      }),
      schedules: this.schedules.map((s, i) => {
        const enabled = s.enabled !== false;
        const last = lastRuns[i];
        const next = enabled
          ? new Cron(s.cron, { timezone: this.settings.shopTimeZone, paused: true }).nextRun(now)
          : null;
        return {
          name: s.name,
          cron: s.cron,
          queue: s.queue,
          enabled,
          lastRunAt: last?.startedAt?.toISOString() ?? null,
          lastStatus: last ? statusOf(last) : null,
          nextRunAt: next?.toISOString() ?? null,
        };
      }),
      workers: beats
        .filter((b) => b.components.includes('worker') && Date.parse(b.heartbeatAt) >= staleBefore)
        .map((b) => ({ workerId: b.id, host: b.host, lastHeartbeatAt: b.heartbeatAt })),
      failed: dead.map((j) => ({
        jobId: j.id,
        type: j.type,
        queue: j.queue,
        attempts: j.attempts,
        lastError: j.lastError,
        failedAt: j.finishedAt?.toISOString() ?? null,
      })),
    };
  }
}
