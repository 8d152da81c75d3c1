import type { RetryPolicy } from '../../application/shared/job.js';

/**
 * The delay before the attempt after `attempt` failed: exponential (base x 2^(attempt-1), capped at
 * the policy's maximum) with "equal jitter" (half of it fixed, half random), so retries of many jobs
 * spread out while each job's delays still grow: the n-th lies in [d/2, d] and the next in [d, 2d].
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** The policy of a job type: the default, then what its handler says, then the configuration's override. */
export function policyOf(
  defaults: RetryPolicy,
  handler: Partial<RetryPolicy> | undefined,
  configured: Partial<RetryPolicy> | undefined,
): RetryPolicy {
  const defined = (p: Partial<RetryPolicy> | undefined) =>
    Object.fromEntries(Object.entries(p ?? {}).filter(([, v]) => v !== undefined)) as Partial<RetryPolicy>;
  return { ...defaults, ...defined(handler), ...defined(configured) };
}
