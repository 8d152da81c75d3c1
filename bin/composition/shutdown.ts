import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Draining } from '../../api/http/platform/draining.js';

/** Something a process started and stops at the end (the worker, the api's listener, the projector). */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface ShutdownPlan {
  draining: Draining;
  /** How long readiness answers 503 before anything stops (SHUTDOWN_DRAIN_DELAY_MS). */
  drainDelayMs: number;
  /** The bound on stopping everything after the delay (SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  /** Stopped one after the other, in this order. */
  parts: Stoppable[];
  logger: Logger;
  now?: () => Date;
}

/**
 * A graceful stop: readiness turns false first (the load balancer stops sending), the process keeps
 * serving for the drain delay, then stops its parts in order (the worker lets running jobs finish
 * within JOBS_SHUTDOWN_GRACE_SECONDS; the api's listener closes, idle keep-alive connections with
 * it, and requests under way finish). Answers 'clean', or 'timed out' when the parts did not stop
 * within `timeoutMs` (the caller exits anyway: what was under way is settled by the next start, as
 * after a crash: pending idempotency keys become outcome-unknown, jobs' leases run out).
 */
export async function shutDown(plan: ShutdownPlan): Promise<'clean' | 'timed out'> {
  const now = plan.now ?? (() => new Date());
  plan.draining.begin(now());
  if (plan.drainDelayMs > 0) {
    plan.logger.info('draining: readiness answers 503, requests are still served', { delayMs: plan.drainDelayMs });
    await sleep(plan.drainDelayMs);
  }
  const stopping = (async () => {
    for (const part of plan.parts) await part.stop();
  })();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), plan.timeoutMs);
  });
  try {
    const outcome = await Promise.race([stopping.then(() => 'clean' as const), timedOut]);
    if (outcome === 'timed out')
      plan.logger.error('shutdown timed out: exiting with work still under way', { timeoutMs: plan.timeoutMs });
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
