import type { Decider, DomainEvent } from '../../domain/shared/decider.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';

/** The command path's `Handled`, for a call an earlier attempt committed. */
export interface Settled<S, E> {
  state: S;
  events: E[];
  eventIds: string[];
  revision: bigint;
  position: bigint;
  snapshotRevision: null;
}

/**
 * The result of one command-path call as an earlier attempt with the same derived event ids committed
 * it, or null when the stream holds none of them. Reads the whole stream (a snapshot may cover the
 * events): only a repeat of an attempt whose outcome is unknown, or a conflict under a derived id,
 * comes here. The state is the one right after those events, so the handler answers what the first
 * attempt answered.
 */
export async function committedEarlier<C, E extends DomainEvent, S>(
  store: EventStore,
  logger: Logger,
  decider: Decider<C, E, S>,
  streamId: string,
  ids: (i: number) => string,
  guard?: (state: S) => void,
): Promise<Settled<S, E> | null> {
  const stream = await store.readStream(streamId);
  const first = stream.findIndex((e) => e.id === ids(0));
  if (first < 0) return null;
  let end = first;
  while (end + 1 < stream.length && stream[end + 1].id === ids(end + 1 - first)) end++;
  let state = decider.initialState();
  for (const event of stream.slice(0, first)) state = decider.evolve(state, event as unknown as E);
  guard?.(state);
  const events = stream.slice(first, end + 1);
  for (const event of events) state = decider.evolve(state, event as unknown as E);
  const last = events[events.length - 1];
  logger.info('command settled by its event ids: an earlier attempt had committed it', {
    streamId,
    events: events.length,
    position: String(last.position),
  });
  return {
    state,
    events: events.map((e) => ({ type: e.type, data: e.data }) as unknown as E),
    eventIds: events.map((e) => e.id),
    revision: last.revision,
    position: last.position,
    snapshotRevision: null,
  };
}
