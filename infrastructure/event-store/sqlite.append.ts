/**
 * The write path of the SQLite event store: one append, run inside the group-commit transaction. It
 * decides as EventStoreDB 24.10 does (IndexWriter.CheckCommit, read in its sources), so that both
 * adapters give one answer: expected revisions, idempotent repeats, tombstones, the append size.
 */
import {
  AppendTooLargeError,
  DuplicateEventIdError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type NewEvent,
} from '../../application/ports/event-store.port.js';
import { appendSize } from './append-size.js';
import type { SeenEventRow, Statements } from './sqlite.schema.js';

export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

export interface AppendRequest {
  streamId: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

export interface AppendOutcome {
  result: AppendResult;
  /** False for an idempotent repeat (nothing written). */
  wrote: boolean;
}

/** Validates and serializes before queueing, so bad input fails fast and never enters a transaction. */
export function serializeEvents(streamId: string, events: NewEvent[], maxAppendBytes: number): SerializedEvent[] {
  const ids = new Set<string>();
  const serialized = events.map((event) => {
    if (typeof event.id !== 'string' || event.id.length === 0) throw new Error(`Stream ${streamId}: event without id`);
    if (ids.has(event.id)) throw new Error(`Stream ${streamId}: event id ${event.id} appears twice in one append`);
    ids.add(event.id);
    const data = JSON.stringify(event.data);
    if (data === undefined) throw new Error(`Stream ${streamId}: event ${event.id} has no JSON data`);
    return { id: event.id, type: event.type, data, metadata: JSON.stringify(event.metadata ?? {}) };
  });
  const size = appendSize(serialized);
  if (size > maxAppendBytes) throw new AppendTooLargeError(streamId, size, maxAppendBytes);
  return serialized;
}

/**
 * Must run inside the write transaction (the stream's revision is read under the write lock, which
 * keeps revisions right across processes). Throws before writing anything, or the caller's SAVEPOINT
 * undoes a failure half-way.
 */
export function appendInTransaction(stmts: Statements, request: AppendRequest, recordedAt: string): AppendOutcome {
  const { streamId, events, expected } = request;
  if (stmts.isTombstoned.get(streamId)) throw new StreamDeletedError(streamId);
  const current = stmts.currentRevision.get(streamId)?.rev ?? null;
  const repeat = checkCommit(stmts, streamId, events, expected, current);
  if (repeat) return { result: repeat, wrote: false };

  let revision = current ?? -1n;
  let position = 0n;
  for (const event of events) {
    revision += 1n;
    if (stmts.byEventId.get(event.id)) throw new DuplicateEventIdError(streamId, event.id);
    const info = stmts.insert.run(streamId, revision, event.id, event.type, event.data, event.metadata, recordedAt);
    position = BigInt(info.lastInsertRowid);
  }
  if (events.length === 0 && current !== null) {
    position = stmts.streamBackwards.get(streamId, current, 1)?.position ?? 0n;
  }
  return { result: { nextRevision: revision, position }, wrote: events.length > 0 };
}

/**
 * EventStoreDB's CheckCommit: null when the events are to be written, the first append's result when
 * this is an idempotent repeat; throws WrongExpectedRevisionError otherwise.
 */
function checkCommit(
  stmts: Statements,
  streamId: string,
  events: SerializedEvent[],
  expected: ExpectedRevision,
  current: bigint | null,
): AppendResult | null {
  const conflict = () => new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
  if (current === null) {
    // A new stream: `no_stream` and `any` write, anything else is a conflict.
    if (expected === 'no_stream' || expected === 'any') return null;
    throw conflict();
  }
  if (expected === 'any' || expected === 'stream_exists') {
    if (events.length === 0) return null;
    let last: SeenEventRow | undefined;
    for (const [i, event] of events.entries()) {
      const seen = stmts.byEventId.get(event.id);
      if (!seen || seen.stream_id !== streamId) {
        if (i === 0) return null; // not a repeat: an ordinary append
        throw conflict(); // a repeat that stops half-way ("corrupted idempotency")
      }
      last = seen;
    }
    return { nextRevision: last!.revision, position: last!.position };
  }
  const from = expected === 'no_stream' ? -1n : expected;
  if (from > current) throw conflict();
  if (from === current) return null;
  // An expected revision behind the stream: a repeat only if exactly these events follow it.
  if (events.length === 0) throw conflict();
  let position = 0n;
  for (const [i, event] of events.entries()) {
    const row = stmts.eventAt.get(streamId, from + 1n + BigInt(i));
    if (!row || row.event_id !== event.id) throw conflict();
    position = row.position;
  }
  return { nextRevision: from + BigInt(events.length), position };
}
