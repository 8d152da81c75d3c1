import argon2 from 'argon2';
import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';

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

/** argon2id (the `argon2` binding) at the configured cost. */
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly options: { type: 0 | 1 | 2; memoryCost: number; timeCost: number; parallelism: number };

  constructor(cost: Argon2Cost) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: cost.memoryKib,
      timeCost: cost.timeCost,
      parallelism: cost.parallelism,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
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
