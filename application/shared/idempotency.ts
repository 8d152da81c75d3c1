import type { ProcessRef } from '../ports/process-registry.port.js';
import type { Doc } from '../ports/read-store.port.js';

/** Where the API keeps the answers of `Idempotency-Key` requests (in the read store, shared by every api process). */
export const IDEMPOTENCY_COLLECTION = 'sys_idempotency';

/** How long a `pending` record holds its key for a process that is still alive (no command takes this long). */
export const IDEMPOTENCY_LEASE_MS = 120_000;

/**
 * One key's record. `pending`: a request with it runs in `owner` (until `leaseUntil`). `done`: the
 * answer, replayed for every repeat. `unknown`: an attempt answered 5xx or its process died, so its
 * events may or may not be in the log; the next request with the key settles it by the event ids,
 * which derive from `seed` (the first answer is rebuilt when they are there, the command runs when not).
 */
export interface IdempotencyRecord extends Doc {
  state: 'pending' | 'done' | 'unknown';
  requestHash: string;
  expiresAt: string;
  /** What this key's event ids and new ids derive from; the same for every attempt until the record expires. */
  seed?: string;
  owner?: ProcessRef;
  leaseUntil?: string;
  statusCode?: number;
  contentType?: string;
  etag?: string;
  body?: string;
}
