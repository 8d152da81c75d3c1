/**
 * An event store seen through a stream prefix (`EVENTSTORE_STREAM_PREFIX`): every stream it writes and
 * reads is `<prefix><streamId>` in the store underneath, and the global log, its subscriptions and its
 * head show only those streams, with the prefix taken off again. Several deployments (the end-to-end
 * tests and the contract suite in CI, say) can so share one EventStoreDB and each see a store of its
 * own. Positions are those of the store underneath, so they still only grow. Works on any adapter.
 */
import {
  AppendTooLargeError,
  DuplicateEventIdError,
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

const PAGE = 500;
/** A prefix is a short tag ending in `_`, so it never makes a stream id look like a system one (`$...`). */
export const STREAM_PREFIX = /^[a-z0-9]{1,32}_$/;

export class ScopedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    readonly prefix: string,
  ) {
    if (!STREAM_PREFIX.test(prefix)) throw new Error(`Invalid stream prefix ${JSON.stringify(prefix)}`);
  }

  /** The stream's name in the store underneath. */
  storeName(streamId: string): string {
    return this.prefix + streamId;
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    try {
      return await this.inner.append(this.storeName(streamId), events, expectedRevision);
    } catch (error) {
      throw this.unscoped(error, streamId);
    }
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    try {
      return (await this.inner.readStream(this.storeName(streamId), options)).map((e) => this.own(e)!);
    } catch (error) {
      throw this.unscoped(error, streamId);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(options.maxCount));
    const backwards = options.direction === 'backwards';
    const out: RecordedEvent[] = [];
    let after = options.after;
    while (out.length < limit) {
      const page = await this.inner.readAll({ after, maxCount: PAGE, direction: options.direction });
      for (const event of page) {
        const own = this.own(event);
        if (own && out.length < limit) out.push(own);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].position;
      if (backwards && after <= 0n) break; // 0n would mean "from the end" again
    }
    return out;
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    const inner = this.inner.subscribeToAll(options);
    const own = (event: RecordedEvent) => this.own(event);
    return {
      unsubscribe: () => inner.unsubscribe(),
      [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
        const source = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            for (;;) {
              const result = await source.next();
              if (result.done) return result;
              const mine = own(result.value);
              if (mine) return { done: false, value: mine };
            }
          },
          return: async () => (await source.return?.()) ?? { done: true, value: undefined },
        };
      },
    };
  }

  /** The position of this scope's last event (0n when it has none). */
  async headPosition(): Promise<bigint> {
    const [last] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return last?.position ?? 0n;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The event as this scope shows it, or null when it belongs to another. */
  private own(event: RecordedEvent): RecordedEvent | null {
    if (!event.streamId.startsWith(this.prefix)) return null;
    return { ...event, streamId: event.streamId.slice(this.prefix.length) };
  }

  private unscoped(error: unknown, streamId: string): unknown {
    if (error instanceof WrongExpectedRevisionError)
      return new WrongExpectedRevisionError(streamId, error.expected, error.actual);
    if (error instanceof StreamDeletedError) return new StreamDeletedError(streamId);
    if (error instanceof AppendTooLargeError)
      return new AppendTooLargeError(streamId, error.size, error.maxAppendBytes);
    if (error instanceof DuplicateEventIdError) return new DuplicateEventIdError(streamId, error.eventId);
    return error;
  }
}
