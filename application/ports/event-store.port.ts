/**
 * The event store port. Both adapters (SQLite, EventStoreDB) implement exactly these semantics and
 * prove it with the same contract suite (tests/contract/event-store.contract.ts).
 *
 * - Streams are named `<category>-<id>`; revisions start at 0 and are contiguous within a stream.
 * - Every event has a global position over all streams; positions only grow, in commit order.
 *   The SQLite adapter's positions are gap-free (1, 2, 3, ...); EventStoreDB's are its commit
 *   positions (monotonic, not contiguous). Code must only compare positions, never do arithmetic.
 * - Positions travel as `bigint` in code and as decimal strings over HTTP and in documents.
 */

export const EVENT_STORE = Symbol('EventStore');

/** `no_stream`: the stream must not exist. `stream_exists`: it must. `any`: no check. bigint: the exact revision of its last event. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface Actor {
  userId: string;
  role: string;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  actor: Actor;
  /** ISO 8601 UTC, from the clock port. */
  occurredAt: string;
  /** The schema version of the event's type when it was written; stamped by the event codec. */
  schemaVersion: number;
  /** Why, in the actor's words, where a command carries a reason. */
  reason?: string;
  [key: string]: unknown;
}

export interface NewEvent<T = unknown> {
  /** UUID. Appending the same ids again is idempotent. */
  id: string;
  type: string;
  data: T;
  /** `schemaVersion` is the event codec's to set; adapters store what they are given. */
  metadata: Omit<EventMetadata, 'schemaVersion'> & { schemaVersion?: number };
}

export interface RecordedEvent<T = unknown> {
  id: string;
  streamId: string;
  revision: bigint;
  position: bigint;
  type: string;
  data: T;
  metadata: EventMetadata;
  /** When the store recorded it (ISO 8601 UTC). */
  recordedAt: string;
}

/** A recorded event of a known union, narrowed by its `type` (`Recorded<OrderEvent>`). */
export type Recorded<E extends { type: string; data: unknown }> = Omit<RecordedEvent, 'type' | 'data'> & E;

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextRevision: bigint;
  /** Global position of the last event appended (or of the original when the append was an idempotent repeat). */
  position: bigint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit (or 0n) for the start of the log. */
  after?: bigint;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: delivers events strictly after it. Omit for the start. */
  after?: bigint;
}

/** A subscription to the global log: an async iterable that catches up, then delivers live events. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream; an unknown stream reads as []. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log, system events excluded. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch up from the checkpoint, then stay live: no gap and no duplicate at the switch. */
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Position of the last event in the global log (0n when empty). */
  headPosition(): Promise<bigint>;
  /** Quick reachability probe for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
