/**
 * The per-stream hash chain, one step of the event codec (event-codec.ts composes it last on the way
 * in, first on the way out). Each event's hash covers the hash of the event before it in its stream
 * and the event as the store keeps it: id, stream, revision, type, data and metadata (canonical JSON
 * as RFC 8785 orders it, canonical-json.ts: no serializer's spacing or key order matters). Whatever the codec did to the
 * data before this step (personal fields encrypted) is what is hashed, so erasing a key leaves the
 * chain verifiable. The chain is kept in the event's metadata (`chain: { prev, hash }`), which both
 * adapters store as given: SQLite and EventStoreDB chain, and verify, alike.
 *
 * The revision an event will get must be known before it is written: appends with an exact expected
 * revision (or `no_stream`) know it; `any` and `stream_exists` are turned into the exact revision of
 * the stream's last event (read first) and retried when another writer got there first.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../../application/ports/event-store.port.js';

/** The `prev` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);
export const CHAIN_KEY = 'chain';

export interface ChainLink {
  prev: string;
  hash: string;
}

/** The fields of an event the hash covers, as stored (metadata without its `chain`). */
export interface ChainedFields {
  id: string;
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

export function chainHash(prev: string, event: ChainedFields): string {
  const { [CHAIN_KEY]: _chain, ...metadata } = event.metadata;
  const body = canonicalJson({
    v: 1,
    prev,
    id: event.id,
    streamId: event.streamId,
    revision: String(event.revision),
    type: event.type,
    data: event.data,
    metadata,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** The link an event recorded, or null (an event not written through the chain). */
export function linkOf(event: { metadata: unknown }): ChainLink | null {
  const link = (event.metadata as Record<string, unknown> | null)?.[CHAIN_KEY] as Partial<ChainLink> | undefined;
  return link && typeof link.prev === 'string' && typeof link.hash === 'string'
    ? { prev: link.prev, hash: link.hash }
    : null;
}

const MAX_ATTEMPTS = 20;
const CACHE_SIZE = 20_000;

/** Chains appends and lifts the chain out of what is read (`event.hash`). */
export class HashChain {
  /** `<stream>@<revision>` -> hash: events never change, so an entry never goes stale. */
  private readonly known = new Map<string, string>();
  /** Appends to one stream with `any` run one after the other in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /**
   * `<stream>@<revision>` of appends in flight: a dependent append sealed before its predecessor is
   * committed (several queued in one tick) waits for it instead of reading a stream that lacks it yet.
   */
  private readonly inFlight = new Map<string, Promise<void>>();

  async append(
    store: EventStore,
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (expected === 'no_stream' || typeof expected === 'bigint') {
      const after = expected === 'no_stream' ? -1n : expected;
      const release = this.claim(streamId, after, events.length); // before any await: appends queued after see it
      try {
        const sealed = await this.seal(store, streamId, events, after);
        return await this.appendSealed(store, streamId, sealed, expected);
      } finally {
        release();
      }
    }
    return this.serialized(streamId, () => this.appendAtTheEnd(store, streamId, events, expected));
  }

  /** An event as read: its hash on the event (`hash`), its metadata without the link. */
  open(event: RecordedEvent): RecordedEvent {
    const link = linkOf(event);
    if (!link) return event;
    this.remember(event.streamId, event.revision, link.hash);
    const { [CHAIN_KEY]: _chain, ...metadata } = event.metadata;
    return { ...event, metadata: metadata as RecordedEvent['metadata'], hash: link.hash };
  }

  private async appendAtTheEnd(
    store: EventStore,
    streamId: string,
    events: NewEvent[],
    expected: 'any' | 'stream_exists',
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      if (!last && expected === 'stream_exists') throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
      const exact: ExpectedRevision = last ? last.revision : 'no_stream';
      const after = last ? last.revision : -1n;
      const release = this.claim(streamId, after, events.length);
      try {
        const sealed = await this.seal(store, streamId, events, after, last);
        return await this.appendSealed(store, streamId, sealed, exact);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      } finally {
        release();
      }
    }
  }

  private async appendSealed(
    store: EventStore,
    streamId: string,
    sealed: Array<{ event: NewEvent; hash: string; revision: bigint }>,
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const result = await store.append(
      streamId,
      sealed.map((s) => s.event),
      expected,
    );
    // Only hashes the store wrote are the stream's: an idempotent repeat (or a store that does not say)
    // keeps the first attempt's events, whose hashes differ (their metadata did), so they are read.
    if (result.wrote === true) {
      const first = result.nextRevision - BigInt(sealed.length) + 1n;
      sealed.forEach((s, i) => this.remember(streamId, first + BigInt(i), s.hash));
    }
    return result;
  }

  /** Marks revisions after `after` as being written; the returned function ends that. */
  private claim(streamId: string, after: bigint, count: number): () => void {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const keys = Array.from({ length: count }, (_, i) => `${streamId}@${after + 1n + BigInt(i)}`);
    for (const key of keys) this.inFlight.set(key, settled);
    return () => {
      for (const key of keys) if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
      settle();
    };
  }

  /** The events with their links, as the revisions after `after` (-1n: a new stream). */
  private async seal(
    store: EventStore,
    streamId: string,
    events: NewEvent[],
    after: bigint,
    last?: RecordedEvent,
  ): Promise<Array<{ event: NewEvent; hash: string; revision: bigint }>> {
    let prev = after < 0n ? GENESIS_HASH : await this.hashAt(store, streamId, after, last);
    return events.map((event, i) => {
      const revision = after + 1n + BigInt(i);
      const metadata = { ...event.metadata } as Record<string, unknown>;
      delete metadata[CHAIN_KEY];
      const hash = chainHash(prev, { id: event.id, streamId, revision, type: event.type, data: event.data, metadata });
      const link: ChainLink = { prev, hash };
      prev = hash;
      return {
        event: { ...event, metadata: { ...(metadata as NewEvent['metadata']), [CHAIN_KEY]: link } },
        hash,
        revision,
      };
    });
  }

  /** The recorded hash of the stream's event at `revision` (GENESIS_HASH when it has none: an event from before the chain). */
  private async hashAt(store: EventStore, streamId: string, revision: bigint, last?: RecordedEvent): Promise<string> {
    const key = `${streamId}@${revision}`;
    await this.inFlight.get(key); // committed (and remembered) or refused: then the store says
    const cached = this.known.get(key);
    if (cached) return cached;
    const event =
      last && last.revision === revision
        ? last
        : (await store.readStream(streamId, { fromRevision: revision, maxCount: 1 }))[0];
    // No event there: the append will be refused with the store's own conflict, whatever its links say.
    if (!event || event.revision !== revision) return GENESIS_HASH;
    return linkOf(event)?.hash ?? GENESIS_HASH;
  }

  private remember(streamId: string, revision: bigint, hash: string): void {
    const key = `${streamId}@${revision}`;
    if (this.known.has(key)) return;
    if (this.known.size >= CACHE_SIZE) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, hash);
  }

  private serialized<T>(streamId: string, run: () => Promise<T>): Promise<T> {
    const before = this.queues.get(streamId) ?? Promise.resolve();
    const result = before.then(run, run);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(streamId, settled);
    void settled.then(() => {
      if (this.queues.get(streamId) === settled) this.queues.delete(streamId);
    });
    return result;
  }
}
