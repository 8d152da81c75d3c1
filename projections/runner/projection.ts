import type { Recorded } from '../../application/ports/event-store.port.js';
import type { Doc, IndexSpec } from '../../application/ports/read-store.port.js';

/**
 * A projection: a pure function from (document | null, event) to document | null, over the event
 * types it handles (the domain's lists). The runner loads the documents an event touches (`keys`),
 * applies the event, and stores the result with the checkpoint. It stamps `_position` on every
 * document it writes and skips events at or below it, so applying an event twice changes nothing.
 * Where a read model shows a fact an aggregate keeps, it folds it with that aggregate's own `evolve`.
 */
export interface Projection<
  D extends Doc = Doc,
  E extends { type: string; data: unknown } = { type: string; data: unknown },
> {
  name: string;
  /** Bump when `apply` changes meaning: the runner then rebuilds the read model from position zero. */
  version: number;
  collection: string;
  /** Its documents hold personal data (names, addresses, devices): only admins may browse them. */
  personalData?: boolean;
  indexes: IndexSpec[];
  handles: ReadonlySet<string>;
  /**
   * Settings the documents depend on besides the code (the shop's time zone, say): a change is
   * treated as a version bump, so the read model is rebuilt at the next start.
   */
  variant?: string;
  /**
   * Ids of other documents of this collection that `keys` and `apply` read for this event (the
   * product a line names, to know its category). Optional: a projection without it sees nothing but
   * the event. They are read as they stood before the event, within the same batch too.
   */
  context?(event: Recorded<E>): string[];
  /** Ids of the documents this event changes (usually one). */
  keys(event: Recorded<E>, context?: ContextLookup): string[];
  apply(doc: D | null, event: Recorded<E>, id: string, context?: ContextLookup): D | null;
}

/** A context document by id, as it stood before the event being applied (null: none). */
export type ContextLookup = (id: string) => Doc | null;

export type StoredDoc<D> = D & { _position: string };
