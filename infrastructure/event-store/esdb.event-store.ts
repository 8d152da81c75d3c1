/**
 * EventStoreDB adapter (@eventstore/db-client 6.2.1, gRPC). Our position is the event's log position:
 * EventStoreDB 24.10 gives every event of an append a record of its own, with commit = prepare = its
 * log position (AllReader.cs), and answers an append with the last event's position (StorageChaser's
 * CommitAck), so a multi-event append needs no read-back. Reads from a position use
 * `{ commit: p, prepare: p }` and drop what is not strictly after `p`. The global log excludes
 * system events (server-side filter where the API has one, `$` check always).
 *
 * Guarding the client (see esdb.client.ts): one client per connection string and process, appends
 * through the client's per-call `append` (not its batch append, whose process-wide promise map can
 * crash the process on a transport error), and an append that meets a transport error is retried
 * after the client reconnects: same ids at the same expected revision, so a repeat is idempotent.
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  AppendTooLargeError,
  InvalidPositionError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../../application/ports/event-store.port.js';
import { DEFAULT_MAX_APPEND_BYTES, appendSize } from './append-size.js';
import {
  acquireClient,
  appendCallOptions,
  isInvalidPosition,
  isTransportError,
  maxAppendSizeOf,
  toEsdbExpected,
  withDeadline,
  type SharedClient,
} from './esdb.client.js';
import { EsdbSubscription, comparePositions, isSystemEvent, toRecordedEvent } from './esdb.mapping.js';

const PAGE_SIZE = 500;
const APPEND_ATTEMPTS = 4;

export interface EsdbEventStoreOptions {
  /** The most one append may hold: the server's MaxAppendSize (EVENTSTORE_MAX_APPEND_SIZE). Checked here first, and the server's own refusal is mapped too. */
  maxAppendBytes?: number;
  /** ping() fails after this long (the client's reads have no deadline of their own). Default 2000 ms. */
  pingTimeoutMs?: number;
}

export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly maxAppendBytes: number;
  private readonly pingTimeoutMs: number;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly shared: SharedClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2000;
  }

  /** e.g. `esdb://localhost:2113?tls=false` */
  static fromConnectionString(url: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    return new EsdbEventStore(acquireClient(url), options);
  }

  private get client(): EventStoreDBClient {
    return this.shared.client;
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    const size = appendSize(
      events.map((e) => ({ type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })),
    );
    if (size > this.maxAppendBytes) throw new AppendTooLargeError(streamId, size, this.maxAppendBytes);
    const data = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata }),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.client.appendToStream(streamId, data, {
          expectedRevision: toEsdbExpected(expectedRevision),
          ...appendCallOptions(this.shared),
        });
        const nextRevision = result.nextExpectedRevision;
        const reported = result.position?.commit;
        if (reported !== undefined && reported >= 0n) return { nextRevision, position: reported };
        // No position reported (an append of no events to an existing stream): the last event's.
        const position = nextRevision >= 0n ? await this.positionOf(streamId, nextRevision) : undefined;
        return { nextRevision, position: position ?? 0n };
      } catch (error) {
        if (isTransportError(error) && attempt < APPEND_ATTEMPTS && !this.closing) {
          await new Promise((resolve) => setTimeout(resolve, 100 * 3 ** (attempt - 1)));
          continue; // the client reconnects on these; a repeat at the same revision is idempotent
        }
        throw mapAppendError(error, streamId, expectedRevision, size);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        const event = resolved.event;
        if (event) out.push(toRecordedEvent(event, event.position?.commit ?? resolved.commitPosition ?? 0n));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      if (error instanceof EsdbStreamDeletedError) throw new StreamDeletedError(streamId);
      throw error;
    }
    return out;
  }

  /**
   * `after` is exclusive. Backwards: events strictly before `after` (from the end when omitted or 0n).
   * A position the log never gave out is an InvalidPositionError: EventStoreDB refuses one inside a
   * record itself, except inside or beyond its last one, which it reads as the end of the log; those
   * are beyond our head, and refused here (as the SQLite adapter refuses them).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after;
    if (after !== undefined && after < 0n) throw new InvalidPositionError(after);
    if (after === undefined || after === 0n) return this.readAllPages(options);
    if (options.direction === 'backwards') {
      if (after > (await this.headPosition())) throw new InvalidPositionError(after);
      return this.readAllPages(options);
    }
    const events = await this.readAllPages(options);
    if (events.length > 0 || options.maxCount === 0) return events;
    const head = await this.headPosition();
    if (after > head) throw new InvalidPositionError(after);
    // The log moved on between the read and the head: read once more (now it answers, or refuses).
    return head > after ? this.readAllPages(options) : events;
  }

  private async readAllPages(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const limit = options.maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(options.maxCount));
    const backwards = options.direction === 'backwards';
    const after = options.after !== undefined && options.after > 0n ? options.after : undefined;
    const out: RecordedEvent[] = [];
    let from: ReadPosition = after !== undefined ? { commit: after, prepare: after } : backwards ? END : START;
    let cursor: Position | undefined;
    try {
      while (out.length < limit) {
        let raw = 0;
        // +1: a forwards read from a position returns the event at that position too.
        const pageSize = Math.min(PAGE_SIZE, limit - out.length + 1);
        const read = this.client.readAll({
          direction: backwards ? BACKWARDS : FORWARDS,
          fromPosition: from,
          maxCount: pageSize,
        });
        for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
          raw += 1;
          const event = resolved.event;
          if (!event) continue;
          const pos = event.position;
          // Page boundaries are inclusive in ESDB: skip what the previous page already covered.
          if (cursor && (backwards ? comparePositions(pos, cursor) >= 0 : comparePositions(pos, cursor) <= 0)) continue;
          cursor = pos;
          if (after !== undefined && (backwards ? pos.commit >= after : pos.commit <= after)) continue;
          if (isSystemEvent(event) || out.length >= limit) continue;
          out.push(toRecordedEvent(event, pos.commit));
        }
        if (raw < pageSize || !cursor) break;
        from = cursor;
      }
    } catch (error) {
      // A position inside a record: the server answers "Unexpected ReadAllResult: InvalidPosition".
      if (after !== undefined && isInvalidPosition(error)) throw new InvalidPositionError(after);
      throw error;
    }
    return out;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const after = options.after !== undefined && options.after > 0n ? options.after : undefined;
    if (options.after !== undefined && options.after < 0n)
      return EsdbSubscription.failed(new InvalidPositionError(options.after));
    const subscription = new EsdbSubscription(
      this.client.subscribeToAll({
        fromPosition: after !== undefined ? { commit: after, prepare: after } : START,
        filter: excludeSystemEvents(),
      }),
      after,
      (s) => this.subscriptions.delete(s),
      // From inside or beyond its last record the server goes live instead of refusing (AllSubscription,
      // 24.10): a checkpoint beyond the head would skip every event until the log passed it.
      after !== undefined ? () => this.assertWithinHead(after) : undefined,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Position of the last non-system event (0n when there is none). */
  async headPosition(): Promise<bigint> {
    const [last] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return last?.position ?? 0n;
  }

  /** A position beyond the head is none the log gave out (a later head only grows). */
  private async assertWithinHead(after: bigint): Promise<void> {
    if (after > (await this.headPosition())) throw new InvalidPositionError(after);
  }

  /** One backwards read of one event, bounded in time (reads of this client have no deadline). */
  async ping(): Promise<void> {
    this.assertOpen();
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const drain = (async () => {
      for await (const _ of read as AsyncIterable<AllStreamResolvedEvent>) {
        // drain
      }
    })();
    await withDeadline(drain, this.pingTimeoutMs, `EventStoreDB did not answer within ${this.pingTimeoutMs} ms`, () =>
      read.cancel(),
    );
  }

  /**
   * Tombstones (hard-deletes) a stream. Not part of the port: Rentlog never deletes a stream; the
   * contract suite uses it to check that a deleted stream is answered alike on both adapters.
   */
  async tombstone(streamId: string): Promise<void> {
    await this.client.tombstoneStream(streamId);
  }

  /** Ends every subscription (a pending next() settles as done), then lets go of the client. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
      await this.shared.release();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('EsdbEventStore is closed');
  }

  private async positionOf(streamId: string, revision: bigint): Promise<bigint | undefined> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event && event.revision === revision && event.position > 0n ? event.position : undefined;
  }
}

function mapAppendError(error: unknown, streamId: string, expected: ExpectedRevision, size: number): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedRevisionError(
      streamId,
      expected,
      typeof actual === 'bigint' && actual >= 0n ? actual : 'no_stream',
    );
  }
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(streamId);
  if (error instanceof MaxAppendSizeExceededError) return new AppendTooLargeError(streamId, size, error.maxAppendSize);
  const max = maxAppendSizeOf(error); // 24.10.4's per-event limit, which this client does not know
  if (max !== undefined) return new AppendTooLargeError(streamId, size, max);
  return error;
}

/** Connects to EventStoreDB (`esdb://host:2113?tls=false`), sharing the process's client for that URL. */
export function openEsdbEventStore(url: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
  return EsdbEventStore.fromConnectionString(url, options);
}
