import type { Tracer } from '@opentelemetry/api';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { LeaseToken } from '../../application/ports/lease-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Doc, DocWrite, ReadStore } from '../../application/ports/read-store.port.js';
import { DurableSubscriber, type SubscriberState } from './durable-subscriber.js';
import type { ContextLookup, Projection } from './projection.js';

export type RunnerState = SubscriberState;

export interface RunnerOptions {
  projection: Projection;
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  /** Where documents go (the live collection, or a rebuild's shadow). */
  collection?: string;
  checkpoint?: string;
  batchSize?: number;
  /** Called when an event cannot be applied: the runner parks it and goes on. */
  park?: (event: RecordedEvent, error: Error) => Promise<void>;
  maxBackoffMs?: number;
  /** Create the collection without its indexes (a rebuild builds them once, at the end: far cheaper than upkeep). */
  deferIndexes?: boolean;
  /** Apply no event after this position (a read model as it stood then); later events only move the checkpoint. */
  upTo?: bigint;
  /** Tracing on, in the live projector (not a rebuild): a span per applied event that carries a trace. */
  tracer?: Tracer;
  /** The projection's lease (see DurableSubscriber): each commit carries its token. */
  lease?: () => LeaseToken | null;
}

/**
 * Runs one projection on the durable subscriber: per batch, the documents the relevant events touch
 * are loaded at once, each event is applied unless the document has it already (`_position`), and
 * the changed documents are committed with the checkpoint.
 */
export class ProjectionRunner extends DurableSubscriber {
  readonly collection: string;
  readonly checkpointName: string;

  constructor(options: RunnerOptions) {
    const collection = options.collection ?? options.projection.collection;
    const { projection, store } = options;
    super({
      checkpoint: options.checkpoint ?? projection.name,
      events: options.events,
      types: projection.handles,
      store,
      logger: options.logger,
      batchSize: options.batchSize,
      park: options.park,
      maxBackoffMs: options.maxBackoffMs,
      tracer: options.tracer,
      lease: options.lease,
      prepare: () =>
        store.ensureCollection({ name: collection, indexes: options.deferIndexes ? [] : projection.indexes }),
      handle: (batch, park) => applyBatch(projection, store, collection, batch, park, options.upTo),
    });
    this.collection = collection;
    this.checkpointName = options.checkpoint ?? projection.name;
  }
}

async function applyBatch(
  projection: Projection,
  store: ReadStore,
  collection: string,
  batch: RecordedEvent[],
  park: (event: RecordedEvent, error: Error) => Promise<void>,
  upTo?: bigint,
): Promise<DocWrite[]> {
  const relevant = batch.filter((e) => projection.handles.has(e.type) && (upTo === undefined || e.position <= upTo));
  if (relevant.length === 0) return [];
  const docs = new Map<string, Doc | null>();
  const load = async (ids: string[]) => {
    const missing = [...new Set(ids)].filter((id) => !docs.has(id));
    if (missing.length === 0) return;
    const found = await store.collection(collection).findByIds(missing);
    for (const id of missing) docs.set(id, null);
    for (const d of found) docs.set(d._id, d);
  };
  const lookup: ContextLookup = (id) => docs.get(id) ?? null;
  // What each event reads besides its own documents, loaded in one go; then, per event in order, its
  // keys (seeing the context as it stands then), so most documents are loaded at once up front.
  const contexts = new Map<RecordedEvent, string[]>();
  for (const event of relevant) {
    try {
      contexts.set(event, projection.context?.(event) ?? []);
    } catch (error) {
      await park(event, error as Error); // malformed data: the context cannot be read from it
    }
  }
  await load([...contexts.values()].flat());
  await load(projection.context ? foresee(projection, contexts, lookup) : keysOf(projection, contexts.keys(), lookup));
  const changed = new Set<string>();
  for (const [event, contextIds] of contexts) {
    const before = new Map(contextIds.map((id) => [id, docs.get(id) ?? null]));
    const context: ContextLookup = (id) => (before.has(id) ? before.get(id)! : lookup(id));
    let keys: string[];
    try {
      keys = projection.keys(event, context);
    } catch (error) {
      await park(event, error as Error); // malformed data: the keys cannot be read from it
      continue;
    }
    await load(keys);
    for (const id of keys) {
      const current = docs.get(id) ?? null;
      if (current && BigInt(current._position as string) >= event.position) continue; // applied already
      let next: Doc | null;
      try {
        next = projection.apply(current, event, id, context);
      } catch (error) {
        await park(event, error as Error);
        continue;
      }
      if (next === current) continue;
      docs.set(id, next && { ...next, _id: id, _position: String(event.position) });
      changed.add(id);
    }
  }
  return [...changed].map((id) => ({ collection, id, doc: docs.get(id) ?? null }));
}

/** The documents a batch's events change, as far as the documents at hand tell (errors: parked later, in order). */
function keysOf(projection: Projection, events: Iterable<RecordedEvent>, lookup: ContextLookup): string[] {
  const ids: string[] = [];
  for (const event of events) {
    try {
      ids.push(...projection.keys(event, lookup));
    } catch {
      // parked below, when its keys are asked for in order
    }
  }
  return ids;
}

/**
 * For a projection that reads context: the documents its events will change, found by applying the
 * batch once in memory first (so an event whose keys depend on a document an earlier event of the
 * same batch writes is foreseen too), so that one read loads nearly all of them. Nothing is kept.
 */
function foresee(projection: Projection, contexts: Map<RecordedEvent, string[]>, lookup: ContextLookup): string[] {
  const overlay = new Map<string, Doc | null>();
  const seen: ContextLookup = (id) => (overlay.has(id) ? overlay.get(id)! : lookup(id));
  const ids: string[] = [];
  for (const [event, contextIds] of contexts) {
    try {
      const before = new Map(contextIds.map((id) => [id, seen(id)]));
      const context: ContextLookup = (id) => (before.has(id) ? before.get(id)! : seen(id));
      for (const id of projection.keys(event, context)) {
        ids.push(id);
        overlay.set(id, projection.apply(seen(id), event, id, context));
      }
    } catch {
      // parked below, in order
    }
  }
  return ids;
}
