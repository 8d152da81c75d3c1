import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per-request (or per-job) context: request id and correlation id. The HTTP layer and workers set it;
 * the logger adapter adds it to every line written while it is active.
 */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>();
