import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { logContext } from '../../application/shared/log-context.js';

export interface JobStatus {
  name: string;
  everyMs: number;
  runs: number;
  failures: number;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  running: boolean;
}

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  timer: NodeJS.Timeout | null;
  status: JobStatus;
  current: Promise<void> | null;
}

/**
 * Runs named jobs on a fixed interval, never two runs of one job at once. A failed run is retried
 * with exponential backoff (up to `maxAttempts`), then waits for its next turn; every run is logged
 * with its outcome, and `status()` shows each job's health.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, Job>();
  private started = false;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly options: { maxAttempts?: number; baseBackoffMs?: number } = {},
  ) {}

  every(name: string, everyMs: number, run: () => Promise<unknown>): void {
    const status: JobStatus = {
      name,
      everyMs,
      runs: 0,
      failures: 0,
      lastRunAt: null,
      lastSuccessAt: null,
      lastError: null,
      running: false,
    };
    this.jobs.set(name, { name, everyMs, run, timer: null, status, current: null });
  }

  start(): void {
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job, 0);
  }

  /** Runs a job now (and awaits it), outside its schedule. */
  async runNow(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`No job ${name}`);
    await (job.current ?? this.execute(job));
  }

  status(): JobStatus[] {
    return [...this.jobs.values()].map((j) => ({ ...j.status }));
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    await Promise.allSettled([...this.jobs.values()].map((j) => j.current));
  }

  private schedule(job: Job, delayMs: number): void {
    if (!this.started) return;
    job.timer = setTimeout(() => {
      void this.execute(job).finally(() => this.schedule(job, job.everyMs));
    }, delayMs);
    job.timer.unref();
  }

  private execute(job: Job): Promise<void> {
    job.current = logContext
      .run({ job: job.name }, () => this.attempt(job))
      .finally(() => {
        job.current = null;
      });
    return job.current;
  }

  private async attempt(job: Job): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    job.status.running = true;
    try {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        job.status.runs++;
        job.status.lastRunAt = this.clock.now().toISOString();
        const started = Date.now();
        try {
          const result = await job.run();
          job.status.lastSuccessAt = this.clock.now().toISOString();
          job.status.lastError = null;
          this.logger.info('job done', { job: job.name, attempt, durationMs: Date.now() - started, result });
          return;
        } catch (error) {
          job.status.failures++;
          job.status.lastError = (error as Error).message;
          this.logger.warn('job failed', { job: job.name, attempt, maxAttempts, error: job.status.lastError });
          if (attempt < maxAttempts && this.started)
            await new Promise((r) => setTimeout(r, (this.options.baseBackoffMs ?? 1000) * 2 ** (attempt - 1)));
        }
      }
    } finally {
      job.status.running = false;
    }
  }
}
