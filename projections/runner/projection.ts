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
  indexes: IndexSpec[];
  handles: ReadonlySet<string>;
  /** Ids of the documents this event changes (usually one). */
  keys(event: Recorded<E>): string[];
  apply(doc: D | null, event: Recorded<E>, id: string): D | null;
}

export type StoredDoc<D> = D & { _position: string };
