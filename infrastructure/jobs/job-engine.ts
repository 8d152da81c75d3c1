import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Clock } from '../../application/ports/clock.port.js';
import type { JobRecord, JobStore } from '../../application/ports/job-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import {
  QUEUE_NAMES,
  scheduleJobType,
  type JobHandler,
  type QueueName,
  type RetryPolicy,
  type Schedule,
} from '../../application/shared/job.js';
import { logContext } from '../../application/shared/log-context.js';
import { backoffMs, policyOf } from './backoff.js';

/** The timers the engine waits with (injected: a test gives ones that never fire, as a frozen worker has). */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type JobOutcome = 'done' | 'retry' | 'dead' | 'lost';

/** Told of every attempt that ended (the Prometheus metrics). */
export interface JobObserver {
  finished(job: JobRecord, outcome: JobOutcome, seconds: number): void;
}

export interface JobEngineOptions {
  store: JobStore;
  handlers: JobHandler[];
  schedules: Schedule[];
  clock: Clock;
  logger: Logger;
  /** Names this worker in the leases it holds (the process's heartbeat id). */
  workerId: string;
  /** The schedules' time zone (SHOP_TIMEZONE). */
  timeZone: string;
  /** Jobs of each queue this worker runs at once (0: it runs none of that queue). */
  concurrency: Record<QueueName, number>;
  leaseMs: number;
  /** How often the worker looks for due jobs and schedule slots (jobs enqueued in this process wake it at once). */
  pollMs: number;
  retry: RetryPolicy;
  /** Per job type, from configuration (JOBS_RETRY_POLICIES): over the handler's own. */
  retryByType?: Record<string, Partial<RetryPolicy>>;
  /** How long an attempt may run when its handler says nothing (default 10 minutes). */
  timeoutMs?: number;
  random?: () => number;
  timers?: Timers;
  observer?: JobObserver;
}

const SCHEDULE_RETRY: Partial<RetryPolicy> = { attempts: 3, baseDelayMs: 1000 };
const MAX_ERROR_LENGTH = 2000;
export const DEFAULT_JOB_TIMEOUT_MS = 10 * 60_000;

/** An attempt that ran out of time (its handler's promise had not settled). */
class JobTimedOut extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms (the attempt did not settle)`);
    this.name = 'JobTimedOut';
  }
}

interface Running {
  job: JobRecord;
  done: Promise<void>;
}

/**
 * The durable jobs engine of a worker: it fires the schedules' slots into the job store (each slot a
 * job whose id names the schedule and the slot, so every worker fires the same job and it runs once),
 * claims due jobs of every queue up to the queue's concurrency under a lease it renews while the job
 * runs, and settles each attempt: done, retried later with backoff and jitter, or dead after its last
 * attempt. A job whose worker died is due again when its lease runs out, and another worker takes it.
 * `stop` lets running jobs finish within a grace period and hands the others back.
 */
export class JobEngine {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly crons: Array<{ schedule: Schedule; cron: Cron }>;
  private readonly lastSlot = new Map<string, number>();
  private readonly running = new Map<string, Running>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private filling: Promise<number> = Promise.resolve(0);
  private pollTimer: unknown = null;
  private unsubscribe: (() => void) | null = null;
  private started = false;
  private closing = false;
  /** Why the last look for due jobs failed (the job store unreachable), until one works again. */
  private claimError: string | null = null;

  constructor(private readonly options: JobEngineOptions) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    for (const handler of options.handlers) this.handlers.set(handler.type, handler);
    this.crons = options.schedules
      .filter((s) => s.enabled !== false)
      .map((schedule) => ({ schedule, cron: new Cron(schedule.cron, { timezone: options.timeZone, paused: true }) }));
    for (const schedule of options.schedules) {
      this.handlers.set(scheduleJobType(schedule.name), {
        type: scheduleJobType(schedule.name),
        queue: schedule.queue,
        retry: { ...SCHEDULE_RETRY, ...schedule.retry },
        handle: (payload, context) => schedule.run({ id: context.jobId, at: new Date(String(payload.at)) }),
      });
    }
  }

  get workerId(): string {
    return this.options.workerId;
  }

  /** Polls for due jobs and slots until stop(); a job enqueued in this process is claimed at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.options.store.onEnqueued(() => void this.kick());
    const poll = () => {
      void this.kick().finally(() => {
        if (!this.closing) this.pollTimer = this.timers.setTimeout(poll, this.options.pollMs);
      });
    };
    poll();
  }

  /** Runs everything due now (slots fired, jobs claimed and run) until nothing is due or running. */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.fill();
      if (claimed === 0 && this.running.size === 0) return;
      if (this.running.size > 0) await Promise.race([...this.running.values()].map((r) => r.done));
    }
  }

  /** Runs a schedule once now, outside its slots (as its own job), and answers the job as it ended. */
  async runNow(name: string): Promise<JobRecord | null> {
    const schedule = this.options.schedules.find((s) => s.name === name);
    if (!schedule) throw new Error(`No schedule ${name}`);
    const now = this.options.clock.now();
    const id = `${name}@manual:${randomUUID()}`;
    const payload = { at: now.toISOString() };
    await this.options.store.enqueue(
      { id, type: scheduleJobType(name), queue: schedule.queue, payload, runAt: now },
      now,
    );
    await this.drain();
    return this.options.store.get(id);
  }

  /** The jobs this worker runs now, and why it cannot claim any (null: it can). */
  status(): {
    running: Array<{ jobId: string; type: string; queue: QueueName; attempt: number }>;
    claimError: string | null;
  } {
    return {
      claimError: this.claimError,
      running: [...this.running.values()].map(({ job }) => ({
        jobId: job.id,
        type: job.type,
        queue: job.queue,
        attempt: job.attempts,
      })),
    };
  }

  /** Claims nothing more; running jobs may finish within `graceMs`, the others are handed back (their leases released). */
  async stop(graceMs: number): Promise<void> {
    this.closing = true;
    if (this.pollTimer !== null) this.timers.clearTimeout(this.pollTimer);
    this.unsubscribe?.();
    await this.filling.catch(() => 0);
    if (this.running.size > 0 && graceMs > 0) {
      let timer: unknown = null;
      await Promise.race([
        Promise.allSettled([...this.running.values()].map((r) => r.done)),
        new Promise<void>((resolve) => (timer = this.timers.setTimeout(resolve, graceMs))),
      ]);
      this.timers.clearTimeout(timer);
    }
    for (const { job } of [...this.running.values()]) {
      const released = await this.options.store.release(job.id, this.workerId, this.options.clock.now());
      if (released) this.options.logger.warn('job handed back at shutdown', { jobId: job.id, type: job.type });
    }
  }

  private async kick(): Promise<void> {
    try {
      await this.fill();
      this.claimError = null;
    } catch (error) {
      this.claimError = (error as Error).message;
      this.options.logger.error('job engine could not claim jobs', { error: this.claimError });
    }
  }

  /** One pass (never two at once): fire due slots, then claim jobs up to every queue's concurrency. */
  private fill(): Promise<number> {
    this.filling = this.filling.catch(() => 0).then(() => this.fillOnce());
    return this.filling;
  }

  private async fillOnce(): Promise<number> {
    if (this.closing) return 0;
    await this.fireSlots();
    let claimed = 0;
    for (const queue of QUEUE_NAMES) {
      while (!this.closing && this.runningIn(queue) < (this.options.concurrency[queue] ?? 0)) {
        const job = await this.options.store.claim(
          queue,
          this.workerId,
          this.options.clock.now(),
          this.options.leaseMs,
        );
        if (!job) break;
        claimed++;
        this.launch(job);
      }
    }
    return claimed;
  }

  /** Each enabled schedule's latest slot that is due, once: every worker fires the same id, so it is one job. */
  private async fireSlots(): Promise<void> {
    const now = this.options.clock.now();
    for (const { schedule, cron } of this.crons) {
      const [slot] = cron.previousRuns(1, new Date(now.getTime() + 1));
      if (!slot || this.lastSlot.get(schedule.name) === slot.getTime()) continue;
      const at = slot.toISOString();
      await this.options.store.enqueue(
        {
          id: `${schedule.name}@${at}`,
          type: scheduleJobType(schedule.name),
          queue: schedule.queue,
          payload: { at },
          runAt: slot,
        },
        now,
      );
      this.lastSlot.set(schedule.name, slot.getTime());
    }
  }

  private runningIn(queue: QueueName): number {
    let n = 0;
    for (const { job } of this.running.values()) if (job.queue === queue) n++;
    return n;
  }

  private launch(job: JobRecord): void {
    const done = logContext
      .run({ job: job.type, jobId: job.id }, () => this.attempt(job))
      .catch((error: Error) => {
        this.options.logger.error('job engine failed to settle a job', { jobId: job.id, error: error.message });
      })
      .finally(() => {
        this.running.delete(job.id);
        if (this.started && !this.closing) void this.kick();
      });
    this.running.set(job.id, { job, done });
  }

  private async attempt(job: JobRecord): Promise<void> {
    const { store, clock, logger, leaseMs } = this.options;
    const handler = this.handlers.get(job.type);
    const policy = policyOf(this.options.retry, handler?.retry, this.options.retryByType?.[job.type]);
    const meta = { jobId: job.id, type: job.type, queue: job.queue, attempt: job.attempts };
    if (job.attempts > policy.attempts) {
      // Claimed again after its last attempt's lease ran out: that worker died (or hung) on it.
      await store.fail(job.id, this.workerId, clock.now(), lostError(job), null);
      logger.error('job dead', { ...meta, error: 'its lease ran out on its last attempt' });
      this.options.observer?.finished(job, 'dead', 0);
      return;
    }
    const renew = this.renewEvery(job, Math.max(1, Math.floor(leaseMs / 3)));
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      if (!handler) throw new Error(`No handler for the job type ${job.type} in this worker`);
      const result = await this.bounded(
        handler.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
        (signal) =>
          handler.handle(job.payload, { jobId: job.id, attempt: job.attempts, attempts: policy.attempts, signal }),
      );
      renew.stop();
      const settled = await store.complete(job.id, this.workerId, clock.now());
      const durationMs = Math.round(seconds() * 1000);
      if (settled) logger.info('job done', { ...meta, durationMs, result });
      else logger.warn('job finished after its lease was taken over', { ...meta, durationMs });
      this.options.observer?.finished(job, settled ? 'done' : 'lost', seconds());
    } catch (error) {
      renew.stop();
      const message = errorText(error);
      const last = job.attempts >= policy.attempts;
      const now = clock.now();
      const retryAt = last ? null : new Date(now.getTime() + backoffMs(job.attempts, policy, this.random));
      const settled = await store.fail(job.id, this.workerId, now, message, retryAt);
      const outcome: JobOutcome = !settled ? 'lost' : last ? 'dead' : 'retry';
      if (outcome === 'dead') logger.error('job dead', { ...meta, attempts: policy.attempts, error: message });
      else
        logger.warn('job failed', {
          ...meta,
          attempts: policy.attempts,
          error: message,
          retryAt: retryAt?.toISOString(),
        });
      this.options.observer?.finished(job, outcome, seconds());
    }
  }

  /**
   * The handler's promise, or a JobTimedOut once `ms` passed without it settling: the attempt then fails
   * (retried with backoff, its slot free again) and the handler is told through the signal; whatever it
   * still does later is ignored (the lease is no longer this attempt's).
   */
  private bounded<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    let timer: unknown = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.timers.setTimeout(() => {
        const error = new JobTimedOut(ms);
        abort.abort(error);
        reject(error);
      }, ms);
    });
    const work = Promise.resolve().then(() => run(abort.signal));
    work.catch(() => undefined); // settling after the timeout: nobody awaits it any more
    return Promise.race([work, timeout]).finally(() => this.timers.clearTimeout(timer));
  }

  /** Renews the job's lease while it runs, so a long job keeps it; a lease lost (taken over) is logged. */
  private renewEvery(job: JobRecord, everyMs: number): { stop(): void } {
    let timer: unknown = null;
    let stopped = false;
    const renew = () => {
      void this.options.store
        .renew(job.id, this.workerId, this.options.clock.now(), this.options.leaseMs)
        .then((held) => {
          if (!held) this.options.logger.warn('job lease lost while running', { jobId: job.id, type: job.type });
          else if (!stopped) timer = this.timers.setTimeout(renew, everyMs);
        })
        .catch((error: Error) => {
          this.options.logger.warn('job lease not renewed', { jobId: job.id, error: error.message });
          if (!stopped) timer = this.timers.setTimeout(renew, everyMs);
        });
    };
    timer = this.timers.setTimeout(renew, everyMs);
    return {
      stop: () => {
        stopped = true;
        this.timers.clearTimeout(timer);
      },
    };
  }
}

const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message || error.name : String(error)).slice(0, MAX_ERROR_LENGTH);

const lostError = (job: JobRecord): string =>
  `its lease ran out on attempt ${job.attempts - 1} (the worker died or hung)` +
  (job.lastError ? `; the attempt before failed: ${job.lastError}` : '');
