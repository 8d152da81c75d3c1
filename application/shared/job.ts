/**
 * Durable jobs (the background work issue): queued by id, delivered at least once, retried with
 * backoff and jitter, dead after their last attempt. The engine (infrastructure/jobs/job-engine.ts)
 * runs them in the worker over the job store port; these are the shapes the areas write against.
 */
export type QueueName = 'notifications' | 'payments' | 'reports' | 'maintenance';

/** Every queue, each with its own concurrency per worker (JOBS_CONCURRENCY_<QUEUE>). */
export const QUEUE_NAMES: readonly QueueName[] = ['notifications', 'payments', 'reports', 'maintenance'];

export interface RetryPolicy {
  /** Attempts in all (the first one included); after the last one the job is dead. */
  attempts: number;
  /** The delay before the second attempt; it doubles with each attempt after that (with jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  /** The attempts the job has in all (its policy): `attempt === attempts` is the last one. */
  attempts?: number;
  /** Aborted when the attempt ran out of time (the engine has already failed it): stop the work. */
  signal?: AbortSignal;
}

/** Handles one job type. Idempotent: a job may run again after a worker died during it. Throwing schedules a retry. */
export const JOB_HANDLERS = Symbol('JobHandlers');
export interface JobHandler<P = Record<string, unknown>> {
  readonly type: string;
  readonly queue: QueueName;
  /** Overrides the default policy (JOBS_RETRY_*); JOBS_RETRY_POLICIES overrides this in turn. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * How long one attempt may run (default: the engine's, 10 minutes): an attempt still unsettled then
   * fails (and is retried), so a hung handler cannot hold the queue's slots for ever.
   */
  readonly timeoutMs?: number;
  handle(payload: P, context: JobContext): Promise<unknown>;
}

/**
 * A cron schedule (in `SHOP_TIMEZONE`): each slot fires once across all workers. The slot is a job
 * with the id `<name>@<slot as ISO time>` on the schedule's queue, run (and retried) like any other;
 * a worker that starts fires the latest slot that is due, if no worker did.
 */
export const SCHEDULES = Symbol('Schedules');
export interface Schedule {
  readonly name: string;
  /** Five fields (minute first), or six (seconds first), as croner reads them. */
  readonly cron: string;
  readonly queue: QueueName;
  /** False: configured off (nothing fires); default true. */
  readonly enabled?: boolean;
  /** A slot's retries (default: 3 attempts, from 1 s). */
  readonly retry?: Partial<RetryPolicy>;
  /** What a slot does; what it answers is logged with the run. */
  run(slot: { id: string; at: Date }): Promise<unknown>;
}

/** What a job id may hold (it names its cause, and is a path segment of POST /v1/jobs/{id}/retry): no personal data. */
export const JOB_ID = /^[A-Za-z0-9._:@+-]{1,200}$/;
export const JOB_ID_PATTERN = JOB_ID.source;

/** The job type a schedule's slots run as. */
export const scheduleJobType = (name: string): string => `schedule:${name}`;
