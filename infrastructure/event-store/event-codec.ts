/**
 * The one event codec between the application and the event store adapters: every event written is
 * encoded here (its type checked against the domain's schema, its schema version stamped) and every
 * event read is decoded here (older versions upcast to the current one). Personal fields are encrypted
 * on the way in, after encoding, by the cipher step (personal-data.cipher.ts), and the per-stream hash
 * chain (hash-chain.ts) is the last step, over the events as they will be stored (encrypted: an erasure
 * leaves the chain verifiable). On the way out the chain is lifted off first, then the fields are
 * decrypted, then the event is decoded.
 */
import { SpanKind } from '@opentelemetry/api';
import type { EventSchema, Upcaster } from '../../domain/events.js';
import { currentTraceparent, inSpan } from '../../application/shared/tracing.js';
import { HashChain } from './hash-chain.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../../application/ports/event-store.port.js';
import { noEncryption, type EventCipher } from './personal-data.cipher.js';

/** An event type the schema does not know: a programming error, refused before anything is written. */
export class UnknownEventTypeError extends Error {
  constructor(type: string) {
    super(`Event type ${type} is not declared in domain/events.ts`);
    this.name = 'UnknownEventTypeError';
  }
}

const MAX_UPCASTS = 32;

const withTraceparent = (event: NewEvent, traceparent: string): NewEvent => ({
  ...event,
  metadata: { ...event.metadata, traceparent },
});

export class EventCodec {
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(private readonly schema: EventSchema) {
    for (const upcaster of schema.upcasters) this.upcasters.set(`${upcaster.type}@${upcaster.version}`, upcaster);
  }

  /** Whether a stored event of this type may be read as another type (an upcaster names it). */
  mayChangeType(type: string): boolean {
    return this.schema.upcasters.some((u) => u.type === type);
  }

  encode(event: NewEvent): NewEvent {
    const version = (this.schema.versions as Record<string, number | undefined>)[event.type];
    if (version === undefined) throw new UnknownEventTypeError(event.type);
    return { ...event, metadata: { ...event.metadata, schemaVersion: version } };
  }

  /** The event at its type's current version. Events of types the schema does not know pass unchanged. */
  decode(event: RecordedEvent): RecordedEvent {
    let { type, data } = event;
    let version = event.metadata.schemaVersion ?? 1;
    let upcast = false;
    for (let step = 0; step < MAX_UPCASTS; step++) {
      const upcaster = this.upcasters.get(`${type}@${version}`);
      if (!upcaster) break;
      ({ type, version, data } = upcaster.upcast(data));
      upcast = true;
    }
    return upcast ? { ...event, type, data, metadata: { ...event.metadata, schemaVersion: version } } : event;
  }
}

/** An event store adapter seen through the codec: what the application, projections and workflows use. */
export class CodedEventStore implements EventStore {
  private readonly chain = new HashChain();

  constructor(
    private readonly inner: EventStore,
    private readonly codec: EventCodec,
    private readonly cipher: EventCipher = noEncryption,
  ) {}

  /** Stored events as the application reads them: the chain lifted out (`hash`), decrypted, decoded. */
  private async open(stored: RecordedEvent[], unreadable: 'throw' | 'mark'): Promise<RecordedEvent[]> {
    const opened = await this.cipher.decrypt(
      stored.map((e) => this.chain.open(e)),
      unreadable,
    );
    return opened.map((e) => this.codec.decode(e));
  }

  /**
   * Under a span of its own (a producer's `send`, OpenTelemetry's messaging conventions) whose W3C
   * `traceparent` every event carries in its metadata (none when tracing is off): the projections and
   * workflows that apply the events continue that trace. The hash chain covers it like any metadata.
   */
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const attributes = {
      'messaging.operation.type': 'send',
      'messaging.destination.name': streamId,
      'messaging.batch.message_count': events.length,
    };
    return inSpan(`append ${streamId.replace(/-.*$/, '')}`, { kind: SpanKind.PRODUCER, attributes }, async () => {
      const traceparent = currentTraceparent();
      const encoded = events.map((e) => this.codec.encode(traceparent ? withTraceparent(e, traceparent) : e));
      return this.chain.append(this.inner, streamId, await this.cipher.encrypt(streamId, encoded), expectedRevision);
    });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readStream(streamId, options), 'throw');
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readAll(options), 'throw');
  }

  /** A subscription keeps going past a field that fails its integrity check (it reads as `[unreadable]`, logged). */
  subscribeToAll(options?: SubscribeOptions): Subscription {
    const inner = this.inner.subscribeToAll(options);
    const types = options?.types;
    // Only what the subscriber applies is decrypted (a projection of products never opens a customer's name).
    const open = async (event: RecordedEvent) =>
      types && !types.has(event.type) && !this.codec.mayChangeType(event.type)
        ? [this.codec.decode(this.chain.open(event))]
        : this.open([event], 'mark');
    return {
      unsubscribe: () => inner.unsubscribe(),
      [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
        const source = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const result = await source.next();
            if (result.done) return result;
            const [opened] = await open(result.value);
            return { done: false, value: opened };
          },
          return: async () => (await source.return?.()) ?? { done: true, value: undefined },
        };
      },
    };
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
