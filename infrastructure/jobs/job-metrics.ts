import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobRecord, JobStore } from '../../application/ports/job-store.port.js';
import { QUEUE_NAMES } from '../../application/shared/job.js';
import type { JobObserver, JobOutcome } from './job-engine.js';

/**
 * The jobs' Prometheus metrics, per queue: depth (pending), running and failed (dead) as the job store
 * counts them when scraped (every worker's jobs), and this process's attempts: their duration by
 * outcome and the retries they scheduled. Served with the api's `/metrics` (and a lone worker's ops server).
 */
export class JobMetrics implements JobObserver {
  readonly registry = new Registry();
  private readonly duration: Histogram<'queue' | 'type' | 'outcome'>;
  private readonly retries: Counter<'queue' | 'type'>;

  constructor(store: JobStore) {
    let pending: Promise<Awaited<ReturnType<JobStore['counts']>>> | null = null;
    // One read of the store per scrape, shared by the three gauges.
    const counts = () => {
      pending ??= store.counts().finally(() => setTimeout(() => (pending = null), 0));
      return pending;
    };
    const perQueue = (name: string, help: string, field: 'pending' | 'running' | 'failed') =>
      new Gauge({
        name,
        help,
        labelNames: ['queue'] as const,
        registers: [this.registry],
        async collect() {
          const all = await counts();
          for (const queue of QUEUE_NAMES) this.set({ queue }, all.find((c) => c.queue === queue)?.[field] ?? 0);
        },
      });
    perQueue('rentlog_job_queue_depth', 'Jobs waiting in each queue (pending, due or later)', 'pending');
    perQueue('rentlog_job_queue_running', 'Jobs claimed by a worker and running, per queue', 'running');
    perQueue(
      'rentlog_job_queue_failed',
      'Dead jobs (failed their last attempt) waiting for a retry, per queue',
      'failed',
    );
    this.duration = new Histogram({
      name: 'rentlog_job_duration_seconds',
      help: 'Duration of job attempts run by this process, by queue, type and outcome',
      labelNames: ['queue', 'type', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers: [this.registry],
    });
    this.retries = new Counter({
      name: 'rentlog_job_retries_total',
      help: 'Failed job attempts this process scheduled again (with backoff), by queue and type',
      labelNames: ['queue', 'type'] as const,
      registers: [this.registry],
    });
  }

  finished(job: JobRecord, outcome: JobOutcome, seconds: number): void {
    this.duration.observe({ queue: job.queue, type: job.type, outcome }, seconds);
    if (outcome === 'retry') this.retries.inc({ queue: job.queue, type: job.type });
  }
}
