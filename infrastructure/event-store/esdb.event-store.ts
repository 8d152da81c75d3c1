/**
 * EventStoreDB adapter (@eventstore/db-client, gRPC). Our position is the event's commit position;
 * reads from a position use `{ commit: p, prepare: p }` and drop what is not strictly after `p`.
 * The global log excludes system events (server-side filter where the API has one, `$` check always).
 */
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
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
import { EsdbSubscription, comparePositions, isSystemEvent, toRecordedEvent } from './esdb.mapping.js';

const PAGE_SIZE = 500;

export class EsdbEventStore implements EventStore {
  constructor(private readonly client: EventStoreDBClient) {}

  /** e.g. `esdb://localhost:2113?tls=false` */
  static fromConnectionString(url: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(url));
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const data = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata }),
    );
    try {
      const result = await this.client.appendToStream(streamId, data, {
        expectedRevision: toEsdbExpected(expectedRevision),
      });
      const nextRevision = result.nextExpectedRevision;
      const reported = result.position?.commit;
      // A multi-event append (or an idempotent repeat) may not report the last event's own position.
      if (events.length === 1 && reported !== undefined && reported >= 0n) return { nextRevision, position: reported };
      const position = nextRevision >= 0n ? await this.positionOf(streamId, nextRevision) : undefined;
      return { nextRevision, position: position ?? (reported !== undefined && reported >= 0n ? reported : 0n) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(
          streamId,
          expectedRevision,
          typeof actual === 'bigint' && actual >= 0n ? actual : 'no_stream',
        );
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
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
      throw error;
    }
    return out;
  }

  /** `after` is exclusive. Backwards: events strictly before `after` (from the end when omitted or 0n). */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(options.maxCount));
    const backwards = options.direction === 'backwards';
    const after = options.after !== undefined && options.after > 0n ? options.after : undefined;
    const out: RecordedEvent[] = [];
    let from: ReadPosition = after !== undefined ? { commit: after, prepare: after } : backwards ? END : START;
    let cursor: Position | undefined;
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
    return out;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.after !== undefined && options.after > 0n ? options.after : undefined;
    const subscription = this.client.subscribeToAll({
      fromPosition: after !== undefined ? { commit: after, prepare: after } : START,
      filter: excludeSystemEvents(),
    });
    return new EsdbSubscription(subscription, after);
  }

  /** Position of the last non-system event (0n when there is none). */
  async headPosition(): Promise<bigint> {
    const [last] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return last?.position ?? 0n;
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    for await (const _ of read as AsyncIterable<AllStreamResolvedEvent>) {
      // drain
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async positionOf(streamId: string, revision: bigint): Promise<bigint | undefined> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event && event.revision === revision && event.position > 0n ? event.position : undefined;
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

/** Connects to EventStoreDB (`esdb://host:2113?tls=false`). */
export function openEsdbEventStore(url: string): EsdbEventStore {
  return EsdbEventStore.fromConnectionString(url);
}
