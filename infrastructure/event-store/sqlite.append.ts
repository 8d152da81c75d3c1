/** The write path of the SQLite event store: one append, run inside the group-commit transaction. */
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type NewEvent,
} from '../../application/ports/event-store.port.js';
import type { Statements } from './sqlite.schema.js';

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
export function serializeEvents(streamId: string, events: NewEvent[]): SerializedEvent[] {
  const ids = new Set<string>();
  return events.map((event) => {
    if (typeof event.id !== 'string' || event.id.length === 0) throw new Error(`Stream ${streamId}: event without id`);
    if (ids.has(event.id)) throw new Error(`Stream ${streamId}: event id ${event.id} appears twice in one append`);
    ids.add(event.id);
    const data = JSON.stringify(event.data);
    if (data === undefined) throw new Error(`Stream ${streamId}: event ${event.id} has no JSON data`);
    return { id: event.id, type: event.type, data, metadata: JSON.stringify(event.metadata ?? {}) };
  });
}

/**
 * Must run inside the write transaction (the stream's revision is read under the write lock, which
 * keeps revisions right across processes). Throws WrongExpectedRevisionError or an idempotency
 * error before writing anything; the caller's SAVEPOINT undoes a failure half-way.
 */
export function appendInTransaction(stmts: Statements, request: AppendRequest, recordedAt: string): AppendOutcome {
  const { streamId, events, expected } = request;
  const repeat = idempotentRepeat(stmts, streamId, events);
  if (repeat) return { result: repeat, wrote: false };

  const current = stmts.currentRevision.get(streamId)?.rev ?? null;
  const matches =
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    (typeof expected === 'bigint' && current === expected);
  if (!matches) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');

  let revision = current ?? -1n;
  let position = 0n;
  for (const event of events) {
    revision += 1n;
    const info = stmts.insert.run(streamId, revision, event.id, event.type, event.data, event.metadata, recordedAt);
    position = BigInt(info.lastInsertRowid);
  }
  if (events.length === 0 && current !== null) {
    position = stmts.streamBackwards.get(streamId, current, 1)?.position ?? 0n;
  }
  return { result: { nextRevision: revision, position }, wrote: events.length > 0 };
}

/** EventStoreDB-style idempotency: the whole batch was already appended, contiguously, to this stream. */
function idempotentRepeat(stmts: Statements, streamId: string, events: SerializedEvent[]): AppendResult | null {
  if (events.length === 0) return null;
  const seen = events.map((event) => stmts.byEventId.get(event.id));
  const seenCount = seen.filter((row) => row !== undefined).length;
  if (seenCount === 0) return null;
  const first = seen[0];
  const isRepeat =
    seenCount === events.length &&
    first !== undefined &&
    seen.every(
      (row, i) => row !== undefined && row.stream_id === streamId && row.revision === first.revision + BigInt(i),
    );
  if (!isRepeat) {
    const clash = seen.find((row) => row !== undefined && row.stream_id !== streamId);
    throw new Error(
      clash
        ? `Event id already used in stream ${clash.stream_id}; cannot append it to ${streamId}`
        : `Stream ${streamId}: ${seenCount} of ${events.length} event ids were already appended ` +
            'but not as this exact batch; refusing a partial idempotent append',
    );
  }
  const last = seen[seen.length - 1]!;
  return { nextRevision: last.revision, position: last.position };
}
