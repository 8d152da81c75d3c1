/**
 * The key vault port: one data key per data subject (a customer, a user, the sign-ins of one email),
 * kept wrapped by the master key. Personal data is encrypted under its subject's key (the event codec,
 * the read store, the blob store); erasure destroys the key (crypto-shredding), after which nothing
 * encrypted under it can be read again, wherever a copy of the ciphertext is. Both adapters (SQLite,
 * MongoDB) prove these semantics with one contract suite (tests/contract/key-vault.contract.ts).
 *
 * - A subject is `<kind>:<id>` (`customer:<id>`, `user:<id>`); never personal data itself.
 * - `key` makes the subject's key on first use (concurrent first uses agree on one key), answers it
 *   afterwards, and answers `destroyed` for ever once it was destroyed: a destroyed subject never
 *   gets a new key. `peek` never makes one.
 * - `destroy` is idempotent, also for a subject that never had a key (it is refused one from then on).
 * - `rewrap` re-encrypts every data key under the current master key (after a rotation of the
 *   master key; events and documents are untouched) and answers how many it rewrapped.
 */
export const KEY_VAULT = Symbol('KeyVault');

export type DataKey = { status: 'active'; key: Buffer } | { status: 'destroyed' } | { status: 'absent' };

export interface KeyVault {
  /** The subject's key, made when it has none; `destroyed` once erased. */
  key(subject: string): Promise<Extract<DataKey, { status: 'active' | 'destroyed' }>>;
  /** The subject's key without making one. */
  peek(subject: string): Promise<DataKey>;
  destroy(subject: string): Promise<void>;
  rewrap(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A data key wrapped under a master key this process does not hold (a rotation without the old key). */
export class MasterKeyUnknownError extends Error {
  readonly code = 'MASTER_KEY_UNKNOWN';
  constructor(readonly masterKeyId: string) {
    super(`A data key is wrapped under master key ${masterKeyId}, which is not configured`);
    this.name = 'MasterKeyUnknownError';
  }
}
