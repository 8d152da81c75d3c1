import type { QueueName, RetryPolicy } from '../../application/shared/job.js';
import { ConfigError } from './config-error.js';

/** The job engine's variables (part of the configuration schema). */
export const jobsConfigSchema = {
  JOBS_CONCURRENCY_NOTIFICATIONS: { type: 'integer', minimum: 0, maximum: 256, default: 4 },
  JOBS_CONCURRENCY_PAYMENTS: { type: 'integer', minimum: 0, maximum: 256, default: 2 },
  JOBS_CONCURRENCY_REPORTS: { type: 'integer', minimum: 0, maximum: 256, default: 1 },
  JOBS_CONCURRENCY_MAINTENANCE: { type: 'integer', minimum: 0, maximum: 256, default: 2 },
  JOBS_LEASE_SECONDS: { type: 'integer', minimum: 5, maximum: 86400, default: 60 },
  JOBS_POLL_MS: { type: 'integer', minimum: 50, maximum: 60000, default: 1000 },
  JOBS_RETRY_ATTEMPTS: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
  JOBS_RETRY_BASE_MS: { type: 'integer', minimum: 1, maximum: 3600000, default: 1000 },
  JOBS_RETRY_MAX_MS: { type: 'integer', minimum: 1, maximum: 86400000, default: 600000 },
  // `<type>=<attempts>[/<baseMs>[/<maxMs>]]`, comma-separated: `mail.send=8/2000/3600000,reports.snapshot=2`.
  JOBS_RETRY_POLICIES: {
    type: 'string',
    pattern:
      '^[A-Za-z0-9._:-]{1,100}=[0-9]{1,3}(/[0-9]{1,9}){0,2}(,[A-Za-z0-9._:-]{1,100}=[0-9]{1,3}(/[0-9]{1,9}){0,2})*$',
  },
  JOBS_SHUTDOWN_GRACE_SECONDS: { type: 'integer', minimum: 0, maximum: 3600, default: 10 },
  JOBS_KEEP_DONE_DAYS: { type: 'integer', minimum: 1, maximum: 3650, default: 7 },
} as const;

export interface JobsConfig {
  /** Jobs of each queue one worker runs at once (0: that worker runs none of the queue). */
  concurrency: Record<QueueName, number>;
  /** A claimed job's lease (renewed while it runs): a dead worker's job is taken again after it. */
  leaseMs: number;
  /** How often a worker looks for due jobs and schedule slots. */
  pollMs: number;
  /** The default retry policy; a handler's own, then JOBS_RETRY_POLICIES, override it per job type. */
  retry: RetryPolicy;
  retryByType: Record<string, Partial<RetryPolicy>>;
  /** At SIGTERM: running jobs may finish within this, the others are handed back. */
  shutdownGraceMs: number;
  keepDoneDays: number;
}

export function jobsConfigOf(v: Record<string, never>): JobsConfig {
  const retry = {
    attempts: v.JOBS_RETRY_ATTEMPTS as number,
    baseDelayMs: v.JOBS_RETRY_BASE_MS as number,
    maxDelayMs: v.JOBS_RETRY_MAX_MS as number,
  };
  if (retry.maxDelayMs < retry.baseDelayMs) {
    throw new ConfigError(
      `Invalid configuration: JOBS_RETRY_MAX_MS=${retry.maxDelayMs} must be at least JOBS_RETRY_BASE_MS=${retry.baseDelayMs}`,
    );
  }
  return {
    concurrency: {
      notifications: v.JOBS_CONCURRENCY_NOTIFICATIONS,
      payments: v.JOBS_CONCURRENCY_PAYMENTS,
      reports: v.JOBS_CONCURRENCY_REPORTS,
      maintenance: v.JOBS_CONCURRENCY_MAINTENANCE,
    },
    leaseMs: (v.JOBS_LEASE_SECONDS as number) * 1000,
    pollMs: v.JOBS_POLL_MS,
    retry,
    retryByType: retryPolicies(v.JOBS_RETRY_POLICIES),
    shutdownGraceMs: (v.JOBS_SHUTDOWN_GRACE_SECONDS as number) * 1000,
    keepDoneDays: v.JOBS_KEEP_DONE_DAYS,
  };
}

function retryPolicies(value: string | undefined): Record<string, Partial<RetryPolicy>> {
  const out: Record<string, Partial<RetryPolicy>> = {};
  for (const entry of value ? value.split(',') : []) {
    const [type, spec] = entry.split('=');
    const [attempts, baseDelayMs, maxDelayMs] = spec.split('/').map(Number);
    if (attempts < 1)
      throw new ConfigError(`Invalid configuration: JOBS_RETRY_POLICIES: ${type} needs at least 1 attempt`);
    out[type] = {
      attempts,
      ...(baseDelayMs !== undefined ? { baseDelayMs } : {}),
      ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
    };
  }
  return out;
}
