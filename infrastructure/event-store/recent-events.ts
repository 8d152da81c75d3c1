import type { RecordedEvent } from '../../application/ports/event-store.port.js';

/**
 * The most recently read events of the global log, by position, shared by every subscription of
 * one process: the projections, the workflows and the read-your-writes waits all read the
 * same fresh events, and each would otherwise fetch and parse them again. Events are frozen, since
 * several readers hold the same objects.
 */
export class RecentEvents {
  private readonly byPosition = new Map<bigint, RecordedEvent>();

  constructor(private readonly capacity = 10_000) {}

  /** Events strictly after `after`, in order, as far as they are cached without a gap (at most `limit`). */
  take(after: bigint, limit: number): RecordedEvent[] {
    const found: RecordedEvent[] = [];
    for (let p = after + 1n; found.length < limit; p++) {
      const event = this.byPosition.get(p);
      if (!event) break;
      found.push(event);
    }
    return found;
  }

  remember(events: RecordedEvent[]): RecordedEvent[] {
    return events.map((event) => {
      const known = this.byPosition.get(event.position);
      if (known) return known;
      const frozen = deepFreeze(event);
      this.byPosition.set(event.position, frozen);
      if (this.byPosition.size > this.capacity) this.byPosition.delete(this.byPosition.keys().next().value as bigint);
      return frozen;
    });
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
