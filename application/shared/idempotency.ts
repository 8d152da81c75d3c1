import type { Doc } from '../ports/read-store.port.js';

/** Where the API keeps the answers of `Idempotency-Key` requests (in the read store, shared by every api process). */
export const IDEMPOTENCY_COLLECTION = 'sys_idempotency';

export interface IdempotencyRecord extends Doc {
  state: 'pending' | 'done';
  requestHash: string;
  expiresAt: string;
  statusCode?: number;
  contentType?: string;
  etag?: string;
  body?: string;
}
