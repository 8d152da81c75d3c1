export const RATE_LIMIT_STORE = Symbol('RateLimitStore');

/**
 * Fixed-window counters shared by every api process (rate limits must hold across replicas). A hit
 * counts in the key's current window, or opens a new window when the last one has ended; concurrent
 * hits on one key are counted exactly (each gets its own count).
 */
export interface RateLimitStore {
  /** Counts `hits` (default 1) at once; answers the key's count after the last of them. */
  hit(key: string, windowMs: number, nowMs: number, hits?: number): Promise<{ count: number; resetAtMs: number }>;
  /** The key's count in its current window without counting, or null when no window is open at `nowMs`. */
  peek(key: string, nowMs: number): Promise<{ count: number; resetAtMs: number } | null>;
  /** Forget windows that ended before `nowMs`. */
  purge(nowMs: number): Promise<number>;
  close(): Promise<void>;
}
