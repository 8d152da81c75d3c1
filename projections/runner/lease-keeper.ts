import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Lease, LeaseStore, LeaseToken } from '../../application/ports/lease-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';

export interface LeaseKeeperOptions {
  store: LeaseStore;
  clock: Clock;
  logger: Logger;
  /** What the units are (`projection`, `workflow`): their leases are `<kind>:<unit>`, the members' `<kind>-member:<holder>`. */
  kind: string;
  units: readonly string[];
  /** This process (a fresh id every start). */
  holder: string;
  /** A lease not renewed for this long is taken over by another process. */
  ttlMs: number;
  /** How often leases are renewed and free ones looked for; default a third of the expiry. */
  intervalMs?: number;
  /** Run the unit: this process holds its lease now (a commit must carry `token(unit)`). */
  onAcquired: (unit: string) => Promise<void>;
  /** Stop the unit: its lease was lost, or given up for another process's share. */
  onLost: (unit: string) => Promise<void>;
}

/**
 * Keeps this process's share of the leases on a set of units (the projections of a projector, the
 * workflows of a worker). Every round (a third of the expiry): the member lease that says this process
 * is alive is renewed; each held lease is renewed, and a lease that could not be (another process has
 * it: this one was paused past its expiry) stops its unit; then the fair share is
 * ceil(units / live members): a process holding more gives the extra leases up (their units stopped
 * first), and one holding fewer takes free or expired leases until it has its share. So one process
 * alone runs everything, a second one gets half within about two rounds, and a dead one's units are
 * taken within the expiry plus a round. Each process tries the units in its own order (by a hash of
 * its id), so that processes starting together mostly ask for different ones.
 */
export class LeaseKeeper {
  private readonly held = new Map<string, Lease>();
  /** The last token of each unit, kept after its lease is lost: a late commit carries it and is refused. */
  private readonly tokens = new Map<string, LeaseToken>();
  private member: Lease | null = null;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** The token a commit for this unit carries (a lost lease's is refused by the store), or null if never held. */
  token(unit: string): LeaseToken | null {
    return this.tokens.get(unit) ?? null;
  }

  /** The leases held now. */
  leases(): Lease[] {
    return [...this.held.values()];
  }

  holds(unit: string): boolean {
    return this.held.has(unit);
  }

  /** Whether this process may run the unit: it holds the lease, or never had one (an offline tool, like the CLI's rebuild). */
  owns(unit: string): boolean {
    return this.held.has(unit) || !this.tokens.has(unit);
  }

  /** Takes this process's share at once (the units start before this resolves), then keeps it. */
  async start(): Promise<void> {
    await this.tick();
    const every = this.options.intervalMs ?? Math.max(50, Math.floor(this.options.ttlMs / 3));
    // Not unref'd: a standby process (no lease, so no subscription) must stay up to take over.
    this.timer = setInterval(() => void this.tick(), every);
  }

  /** Stops the units and gives their leases up, so that another process takes them over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
    for (const unit of [...this.held.keys()]) await this.giveUp(unit);
    if (this.member) await this.options.store.releaseLease(this.member, { forget: true }).catch(() => undefined);
  }

  /** One round at a time; a failing store is logged and the round tried again at the next tick. */
  private tick(): Promise<void> {
    this.round = this.round.then(() =>
      this.keep().catch((error: Error) => {
        this.options.logger.warn('lease round failed', { kind: this.options.kind, error: error.message });
      }),
    );
    return this.round;
  }

  private async keep(): Promise<void> {
    if (this.stopped) return;
    const { store, clock, ttlMs, kind, holder } = this.options;
    const now = clock.now().getTime();
    const members = `${kind}-member:`;
    this.member = await store.acquireLease(`${members}${holder}`, holder, now, ttlMs);
    for (const [unit, lease] of [...this.held]) {
      const renewed = await store.renewLease(lease, now, ttlMs);
      if (renewed) {
        this.held.set(unit, renewed);
        continue;
      }
      this.held.delete(unit);
      this.options.logger.warn('lease lost to another process; unit stopped', { kind, unit });
      await this.options.onLost(unit);
    }
    await this.releaseDeadHolders(now);
    const live = (await store.listLeases(members)).filter((m) => m.expiresAt > now).length;
    await store.pruneLeases(members, now - 10 * ttlMs);
    const share = Math.ceil(this.options.units.length / Math.max(1, live));
    for (const unit of [...this.held.keys()].slice(share)) {
      this.options.logger.info('lease given up for another process', { kind, unit, share });
      await this.giveUp(unit);
    }
    for (const unit of this.order()) {
      if (this.held.size >= share || this.stopped) break;
      if (this.held.has(unit)) continue;
      const lease = await store.acquireLease(`${kind}:${unit}`, holder, now, ttlMs);
      if (!lease) continue;
      this.held.set(unit, lease);
      this.tokens.set(unit, { name: lease.name, holder: lease.holder, epoch: lease.epoch });
      this.options.logger.debug('lease taken', { kind, unit, epoch: lease.epoch });
      await this.options.onAcquired(unit);
    }
  }

  /**
   * Leases of a process on this host that no longer runs (killed: it released nothing) are released at
   * once instead of after their expiry, so a restarted `npm start` projects without waiting for its
   * predecessor's leases. Holders are `<host>:<pid>:<random>`; a holder is dead when its host is this
   * one and no process has its pid. Releasing keeps the epoch, so the next holder's is higher and a
   * commit of the dead one's stays fenced.
   */
  private async releaseDeadHolders(now: number): Promise<void> {
    const { store, kind } = this.options;
    for (const lease of await store.listLeases(kind)) {
      if (lease.expiresAt <= now || !deadHere(lease.holder)) continue;
      await store.releaseLease({ name: lease.name, holder: lease.holder, epoch: lease.epoch });
      this.options.logger.debug('lease of a process gone from this host released', { kind, lease: lease.name });
    }
  }

  private async giveUp(unit: string): Promise<void> {
    const lease = this.held.get(unit);
    await this.options.onLost(unit); // stopped while it still holds: its last batch commits
    this.held.delete(unit);
    if (lease) await this.options.store.releaseLease(lease).catch(() => undefined);
  }

  private order(): string[] {
    const rank = (unit: string) => createHash('sha256').update(`${this.options.holder}/${unit}`).digest('hex');
    return [...this.options.units].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  }
}

/** A holder id of this host whose process is gone (`<host>:<pid>:<random>`; ESRCH for its pid). */
export function deadHere(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
