/** Mapping and subscription helpers for the EventStoreDB adapter. */
import type { AllStreamResolvedEvent, Position, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import {
  InvalidPositionError,
  type EventMetadata,
  type RecordedEvent,
  type Subscription,
} from '../../application/ports/event-store.port.js';
import { isInvalidPosition } from './esdb.client.js';

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function decodeJson(value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  const text = Buffer.from(value).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toRecordedEvent(event: EsdbRecordedEvent, position: bigint): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    data: event.isJson ? event.data : decodeJson(event.data),
    metadata: (decodeJson(event.metadata) ?? {}) as EventMetadata,
    recordedAt: event.created.toISOString(),
  };
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** What the wrapper needs of the client's AllStreamSubscription. */
interface SubscriptionSource {
  unsubscribe(): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<AllStreamResolvedEvent>;
}

/**
 * Wraps an ESDB `$all` subscription: drops system events and everything at or before the checkpoint
 * (and anything not after the last delivered event), maps a checkpoint that is not a record boundary
 * to InvalidPositionError, and makes `unsubscribe()` (and the adapter's close()) end a pending
 * `next()` even if the gRPC stream does not end promptly after cancellation.
 */
export class EsdbSubscription implements Subscription {
  private ended = false;
  private started = false;
  private last: Position | undefined;
  private readonly source: AsyncIterator<AllStreamResolvedEvent>;
  private readonly endSignal: Promise<IteratorReturnResult<undefined>>;
  private fireEnd!: () => void;

  constructor(
    private readonly subscription: SubscriptionSource,
    private readonly after: bigint | undefined,
    private readonly onEnd: (s: EsdbSubscription) => void = () => undefined,
    /** Runs before the first event is pulled; its error ends the subscription (a checkpoint refused). */
    private validate?: () => Promise<void>,
  ) {
    this.source = subscription[Symbol.asyncIterator]();
    this.endSignal = new Promise((resolve) => {
      this.fireEnd = () => resolve(DONE);
    });
  }

  /** A subscription whose first next() rejects with `error` (a checkpoint refused before subscribing). */
  static failed(error: Error): EsdbSubscription {
    return new EsdbSubscription(
      {
        unsubscribe: async () => undefined,
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
      },
      undefined,
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return {
      next: () => this.next(),
      return: async () => {
        await this.unsubscribe();
        return DONE;
      },
    };
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.fireEnd();
    this.onEnd(this);
    await this.subscription.unsubscribe().catch(() => undefined);
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    if (this.validate) {
      const checked = this.validate();
      this.validate = undefined;
      checked.catch(() => undefined);
      try {
        await Promise.race([checked, this.endSignal]);
      } catch (error) {
        if (this.ended) return DONE;
        await this.unsubscribe();
        throw error;
      }
      if (this.ended) return DONE;
    }
    while (!this.ended) {
      const pending = this.source.next();
      pending.catch(() => undefined); // may settle after unsubscribe; never unhandled
      let result: IteratorResult<AllStreamResolvedEvent> | IteratorReturnResult<undefined>;
      try {
        result = await Promise.race([pending, this.endSignal]);
      } catch (error) {
        if (this.ended) return DONE;
        await this.unsubscribe();
        if (this.after !== undefined && isInvalidPosition(error)) throw new InvalidPositionError(this.after);
        throw error;
      }
      if (this.ended) return DONE;
      if (result.done) {
        await this.unsubscribe();
        return DONE;
      }
      const event = result.value.event;
      if (!event || isSystemEvent(event)) continue;
      const pos = event.position;
      if (this.after !== undefined && pos.commit <= this.after) continue;
      if (this.last && comparePositions(pos, this.last) <= 0) continue;
      this.last = pos;
      return { done: false, value: toRecordedEvent(event, pos.commit) };
    }
    return DONE;
  }
}
