export const PASSWORD_HASHER = Symbol('PasswordHasher');

/** One-way password hashing; the adapter owns the algorithm and its cost (from configuration). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash it cannot read; never throws for either. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when the hash was made with weaker or other parameters than the current ones. */
  needsRehash(hash: string): boolean;
  /** What the hasher has done and is doing (for `/metrics`). */
  stats(): PasswordHasherStats;
}

export interface PasswordHasherStats {
  /** Hashes and verifications finished since start. */
  hashed: number;
  verified: number;
  /** Refused at once because the pool and its queue were full. */
  refused: number;
  active: number;
  waiting: number;
}
