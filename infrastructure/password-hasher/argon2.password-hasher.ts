import argon2 from 'argon2';
import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import type { PasswordHasher, PasswordHasherStats } from '../../application/ports/password-hasher.port.js';
import { ServiceBusyError } from '../../application/shared/application.errors.js';

export interface Argon2Cost {
  /** Memory in KiB. */
  memoryKib: number;
  /** Passes over the memory. */
  timeCost: number;
  parallelism: number;
}

/**
 * OWASP's Password Storage Cheat Sheet: argon2id with at least one of these (memory KiB, passes) pairs,
 * parallelism 1. A cost that meets none of them is for tests only.
 */
const OWASP_MINIMUMS: ReadonlyArray<readonly [number, number]> = [
  [47104, 1],
  [19456, 2],
  [12288, 3],
  [9216, 4],
  [7168, 5],
];

export const meetsOwaspMinimum = (cost: Argon2Cost): boolean =>
  OWASP_MINIMUMS.some(([memoryKib, timeCost]) => cost.memoryKib >= memoryKib && cost.timeCost >= timeCost);

export interface HashPool {
  /** Hashes computed at once; unset: one fewer than the cores, at least one. */
  concurrency?: number;
  /** Hashes that may wait for a free slot; one more is refused at once (ServiceBusyError). */
  queue: number;
}

/**
 * argon2id (the `argon2` binding) at the configured cost, in a bounded pool (p-limit): at most
 * `concurrency` hashes run at once, so a flood of sign-ins holds at most that many times the memory
 * cost and leaves a core to everything else, and at most `queue` wait; beyond that a caller is refused
 * at once instead of queueing without end.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly options: { type: 0 | 1 | 2; memoryCost: number; timeCost: number; parallelism: number };
  private readonly limit: LimitFunction;
  private readonly queue: number;
  private readonly done = { hashed: 0, verified: 0, refused: 0 };

  constructor(cost: Argon2Cost, pool: HashPool = { queue: 32 }) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: cost.memoryKib,
      timeCost: cost.timeCost,
      parallelism: cost.parallelism,
    };
    this.limit = pLimit(pool.concurrency ?? Math.max(1, availableParallelism() - 1));
    this.queue = pool.queue;
  }

  hash(password: string): Promise<string> {
    return this.pooled(async () => {
      const hash = await argon2.hash(password, this.options);
      this.done.hashed++;
      return hash;
    });
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.pooled(async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      } finally {
        this.done.verified++;
      }
    });
  }

  stats(): PasswordHasherStats {
    return { ...this.done, active: this.limit.activeCount, waiting: this.limit.pendingCount };
  }

  private pooled<T>(work: () => Promise<T>): Promise<T> {
    if (this.limit.activeCount >= this.limit.concurrency && this.limit.pendingCount >= this.queue) {
      this.done.refused++;
      return Promise.reject(new ServiceBusyError('password checks'));
    }
    return this.limit(work);
  }

  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, {
        memoryCost: this.options.memoryCost,
        timeCost: this.options.timeCost,
        parallelism: this.options.parallelism,
      });
    } catch {
      return true;
    }
  }
}
