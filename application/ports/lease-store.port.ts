/**
 * Leases on named units of work (a projection, a workflow) between the processes of a deployment: one
 * holder at a time, kept by renewing before `expiresAt`, taken over by another process once it has
 * expired. The read-store adapters implement it (the `_leases` table / collection) because a lease is
 * checked where a batch's checkpoint is committed: a commit that carries a LeaseToken writes nothing
 * unless the lease still has that holder and epoch (ReadStore.commit, LeaseLostError). The epoch
 * goes up every time another holder takes the lease, so a holder that was paused past its expiry and
 * resumed is fenced off even before it notices. Times are epoch milliseconds from the caller's clock.
 * Proven by one contract suite (tests/contract/lease-store.contract.ts) on every adapter.
 */

/** What a holder shows to prove it still holds a lease. */
export interface LeaseToken {
  name: string;
  holder: string;
  epoch: number;
}

export interface Lease extends LeaseToken {
  expiresAt: number;
}

export interface LeaseStore {
  /**
   * Take the lease when it is free, expired, or held by `holder` already (then it is renewed, same
   * epoch); another holder's live lease is refused (null). A new holder gets the next epoch.
   */
  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null>;
  /** Extend the lease while it still has this holder and epoch (even past its expiry, if nobody took it); else null. */
  renewLease(token: LeaseToken, now: number, ttlMs: number): Promise<Lease | null>;
  /** Give the lease up (it expires now, keeping its epoch) if this holder and epoch still hold it; `forget` deletes it. */
  releaseLease(token: LeaseToken, options?: { forget?: boolean }): Promise<void>;
  /** Every lease whose name starts with `prefix`, live or expired, by name. */
  listLeases(prefix: string): Promise<Lease[]>;
  /** Delete the leases under `prefix` that expired before `before` (members of processes long gone). */
  pruneLeases(prefix: string, before: number): Promise<number>;
}

/** A commit carried a lease token that no longer holds: another process took the lease over. Nothing was written. */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';
  constructor(
    readonly token: LeaseToken,
    readonly actual: { holder: string; epoch: number } | null,
  ) {
    super(
      `Lease ${token.name}: held by ${token.holder} at epoch ${token.epoch} no more` +
        (actual ? ` (now ${actual.holder} at epoch ${actual.epoch})` : ' (no such lease)'),
    );
    this.name = 'LeaseLostError';
  }
}
