import type { Clock } from '../ports/clock.port.js';
import { WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type NewEvent } from '../ports/event-store.port.js';
import type { IdGenerator } from '../ports/id-generator.port.js';
import { ConcurrencyError, PreconditionFailedError } from './application.errors.js';
import type { CommandContext } from './command-context.js';

export interface DomainEvent {
  type: string;
  data: unknown;
}

export interface Evolver<S, E extends DomainEvent> {
  initialState(): S;
  evolve(state: S, event: E): S;
}

export interface Loaded<S> {
  state: S;
  /** Revision of the stream's last event; null when the stream does not exist. */
  revision: bigint | null;
  /** Global position of the stream's last event; null when the stream does not exist. */
  position: bigint | null;
}

export interface Decided<S, E> extends Loaded<S> {
  events: E[];
}

export const SCHEMA_VERSION = 1;
const MAX_ATTEMPTS = 20;

export async function loadStream<S, E extends DomainEvent>(store: EventStore, streamId: string, evolver: Evolver<S, E>): Promise<Loaded<S>> {
  const recorded = await store.readStream(streamId);
  let state = evolver.initialState();
  for (const event of recorded) state = evolver.evolve(state, { type: event.type, data: event.data } as E);
  const last = recorded.at(-1);
  return { state, revision: last?.revision ?? null, position: last?.position ?? null };
}

export function toNewEvents(events: DomainEvent[], ctx: CommandContext, clock: Clock, ids: IdGenerator): NewEvent[] {
  const occurredAt = clock.now().toISOString();
  return events.map((event) => ({
    id: ids.uuid(),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: ctx.correlationId,
      causationId: ctx.causationId,
      actor: ctx.actor,
      occurredAt,
      schemaVersion: SCHEMA_VERSION,
      ...(ctx.reason === undefined ? {} : { reason: ctx.reason }),
    },
  }));
}

export interface EventSourcingDeps {
  store: EventStore;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Load a stream, fold it, decide, append with the revision it was decided on. A concurrent writer
 * makes the append fail; the decision is then taken again on the fresh state (the decider is pure,
 * so retrying is safe) — unless the client pinned a revision with `If-Match`, which answers 412.
 * Deciding nothing appends nothing and answers the stream's current revision and position.
 */
export async function decideAndAppend<S, E extends DomainEvent>(
  deps: EventSourcingDeps,
  streamId: string,
  evolver: Evolver<S, E>,
  decide: (state: S, loaded: Loaded<S>) => E[],
  ctx: CommandContext,
  /** A loader other than reading the whole stream (a snapshot plus the events after it). */
  load: () => Promise<Loaded<S>> = () => loadStream(deps.store, streamId, evolver),
): Promise<Decided<S, E>> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await load();
    if (ctx.expectedRevision !== undefined && loaded.revision !== ctx.expectedRevision) {
      throw new PreconditionFailedError(streamId, ctx.expectedRevision, loaded.revision);
    }
    const events = decide(loaded.state, loaded);
    if (events.length === 0) return { ...loaded, events };
    const expected: ExpectedRevision = loaded.revision ?? 'no_stream';
    try {
      const result = await deps.store.append(streamId, toNewEvents(events, ctx, deps.clock, deps.ids), expected);
      const state = events.reduce(evolver.evolve, loaded.state);
      return { state, events, revision: result.nextRevision, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (ctx.expectedRevision !== undefined) throw new PreconditionFailedError(streamId, ctx.expectedRevision, error.actual === 'no_stream' ? null : error.actual);
      if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyError(streamId);
    }
  }
}
