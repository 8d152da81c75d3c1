/** The worker's scheduled jobs: each lives beside its area, and the worker runs them on their interval. */
export const JOBS = Symbol('Jobs');

export interface Job {
  readonly name: string;
  readonly everyMs: number;
  /** One run; what it answers is logged with the run. */
  run(): Promise<unknown>;
}

/**
 * Durable jobs (the background work issue): queued by id, delivered at least once, retried with
 * backoff and jitter, dead after their last attempt. The engine is the job store's adapter; these
 * are the shapes the areas write against.
 */
export type QueueName = 'notifications' | 'payments' | 'reports' | 'maintenance';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface JobContext {
  jobId: string;
  attempt: number;
}

/** Handles one job type. Idempotent: a job may run again after a worker died during it. Throwing schedules a retry. */
export const JOB_HANDLERS = Symbol('JobHandlers');
export interface JobHandler<P = Record<string, unknown>> {
  readonly type: string;
  readonly queue: QueueName;
  readonly retry?: Partial<RetryPolicy>;
  handle(payload: P, context: JobContext): Promise<unknown>;
}

/** A cron schedule (in `SHOP_TIMEZONE`): each slot fires once across all workers. */
export const SCHEDULES = Symbol('Schedules');
export interface Schedule {
  readonly name: string;
  readonly cron: string;
  readonly queue: QueueName;
  run(slot: { id: string; at: Date }): Promise<unknown>;
}
