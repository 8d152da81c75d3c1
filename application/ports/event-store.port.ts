/**
 * The event store port. Both adapters (SQLite, EventStoreDB) implement exactly these semantics and
 * prove it with the same contract suite (tests/contract/event-store.contract.ts). Where EventStoreDB
 * (24.10, read in its sources) decides, the SQLite adapter does what it does.
 *
 * - Streams are named `<category>-<id>`; revisions start at 0 and are contiguous within a stream.
 * - Every event has a global position over all streams; positions only grow, in commit order.
 *   The SQLite adapter's positions are gap-free (1, 2, 3, ...); EventStoreDB's are the log positions
 *   of its records (every event its own, also within one append; monotonic, not contiguous). Code
 *   must only compare positions, never do arithmetic.
 * - Positions travel as `bigint` in code and as decimal strings over HTTP and in documents. A position
 *   given to `readAll` / `subscribeToAll` must be 0n or one the store answered: anything else (negative,
 *   beyond the head, or on EventStoreDB inside a record) is an InvalidPositionError. (EventStoreDB itself
 *   refuses a position inside a record only before its last one, and reads one inside or beyond its
 *   last record as the end of the log; the adapter refuses those as beyond the head.)
 * - Idempotency, as EventStoreDB decides it: appending events whose ids were appended to the stream
 *   before, in the same order, with the SAME expected revision as that first append (`no_stream` or an
 *   exact revision), writes nothing and answers the first append's result. With `any` or
 *   `stream_exists` the same holds when every id is found in the stream (EventStoreDB looks in a cache
 *   of recent ids: best effort). The same ids under another expected revision are an ordinary
 *   append: a WrongExpectedRevisionError when it does not match, and when it matches EventStoreDB
 *   stores a second copy while the SQLite adapter refuses with DuplicateEventIdError. A batch of which
 *   only the first events were appended is a WrongExpectedRevisionError on both.
 * - One append holds at most `maxAppendBytes` (EventStoreDB's `MaxAppendSize`, 1 MiB by default),
 *   counted as the server counts: UTF-8 bytes of each event's JSON data and metadata, plus two bytes a
 *   character of its type. Larger appends write nothing and throw AppendTooLargeError.
 * - A tombstoned stream (EventStoreDB's hard delete; Rentlog never deletes one) throws
 *   StreamDeletedError on read and append.
 * - Through the event codec every event is chained to the one before it in its stream (hash-chain.ts):
 *   the codec turns `any` and `stream_exists` into the exact revision it read, so there the same ids
 *   appended again with `any` are a new append, not a repeat (Rentlog appends with `any` only snapshots,
 *   each with ids of its own).
 */
import { DomainError } from '../../domain/shared/domain-error.js';
import { ApplicationErrors } from '../shared/application.errors.js';

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
  /**
   * The W3C trace context (`00-<trace id>-<span id>-<flags>`) of the append that wrote it, when tracing
   * was on (OpenTelemetry): the projections and workflows that apply it continue that trace. No personal
   * data; absent on events written with tracing off, and on events from before it.
   */
  traceparent?: string;
  [key: string]: unknown;
}

export interface NewEvent<T = unknown> {
  /** UUID. Appending the same ids again at the same expected revision is idempotent (see above). */
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
  /**
   * Its link in the stream's hash chain (hex SHA-256), set by the event codec on what it reads; absent
   * on events written before the chain, and on what adapters answer (they keep it in the metadata).
   */
  hash?: string;
}

/** A recorded event of a known union, narrowed by its `type` (`Recorded<OrderEvent>`). */
export type Recorded<E extends { type: string; data: unknown }> = Omit<RecordedEvent, 'type' | 'data'> & E;

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextRevision: bigint;
  /** Global position of the last event appended (or of the original when the append was an idempotent repeat). */
  position: bigint;
  /**
   * True when these events were written, false for an idempotent repeat that wrote nothing (the stored
   * events are the first attempt's); absent where the store does not say (EventStoreDB answers both alike).
   */
  wrote?: boolean;
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
  /**
   * The event types the subscriber applies. Every event is still delivered (in order, for the
   * checkpoint), but the event codec opens the personal data of these types only: the others come
   * as stored (ciphertext), since the subscriber never reads them.
   */
  types?: ReadonlySet<string>;
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

/** The events of one append are more than the store takes in one append (nothing was written): a 413 at the API. */
export class AppendTooLargeError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly size: number | null,
    readonly maxAppendBytes: number,
  ) {
    super(
      ApplicationErrors.eventsTooLarge,
      `The change is too large to record: ${size === null ? 'more than' : `${size} bytes, over`} the ${maxAppendBytes} bytes one append may hold`,
    );
    this.name = 'AppendTooLargeError';
  }
}

/** A position that is not one the store gave out (the auditor's `fromPosition`, a checkpoint from another store). */
export class InvalidPositionError extends DomainError {
  constructor(readonly position: bigint) {
    super(ApplicationErrors.positionInvalid, `Position ${String(position)} is not a position of this event log`);
    this.name = 'InvalidPositionError';
  }
}

/** The stream was tombstoned (hard-deleted) in the store: it can be neither read nor appended to again. */
export class StreamDeletedError extends DomainError {
  constructor(readonly streamId: string) {
    super(ApplicationErrors.streamDeleted, `Stream ${streamId} was deleted`);
    this.name = 'StreamDeletedError';
  }
}

/** An event id the store already holds, outside an idempotent repeat (SQLite keeps ids unique; see above). */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Stream ${streamId}: event id ${eventId} is already in the store, and this is not a repeat of its append`);
    this.name = 'DuplicateEventIdError';
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
