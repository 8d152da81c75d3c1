/**
 * The event store contract: every adapter runs this same suite. Stream ids are unique per test and
 * global-log assertions look only at the test's own streams, so it can run against a shared server;
 * the head of the log is asserted exactly only where the store is the suite's own (`exclusive`).
 */
import { randomUUID } from 'node:crypto';
import {
  AppendTooLargeError,
  InvalidPositionError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '../../application/ports/event-store.port.js';
import {
  appendWithRetry,
  collect,
  expectConflict,
  expectStrictlyIncreasing,
  rejectionOf,
} from '../support/event-store.assertions.js';
import { sleep, withTimeout } from '../support/eventually.js';
import { newEvent, newEvents, newMetadata, newStreamId } from '../support/fixtures.js';
import { eventSchema } from '../../domain/events.js';
import { CodedEventStore, EventCodec } from '../../infrastructure/event-store/event-codec.js';
import { GENESIS_HASH, chainHash, linkOf, type ChainedFields } from '../../infrastructure/event-store/hash-chain.js';

export interface ContractStore {
  store: EventStore;
  cleanup(): Promise<void>;
  /** Tombstones a stream: EventStoreDB's hard delete, the SQLite adapter's `tombstone`. */
  tombstone(streamId: string): Promise<void>;
  /** Nothing but this suite writes to the store (a file of its own, a stream prefix of its own). */
  exclusive: boolean;
}

/** A payload of exactly `bytes` bytes of JSON (UTF-8), with multi-byte characters in it. */
function payloadOf(bytes: number): { blob: string } {
  const chunk = 'Rentlog ✓ 賃貸 🏠 '; // 16 UTF-16 units, 24 bytes
  const overhead = Buffer.byteLength(JSON.stringify({ blob: '' }));
  const body = chunk.repeat(Math.floor((bytes - overhead) / Buffer.byteLength(chunk)));
  const blob = body + 'x'.repeat(bytes - overhead - Buffer.byteLength(body));
  const payload = { blob };
  expect(Buffer.byteLength(JSON.stringify(payload))).toBe(bytes);
  return payload;
}

export function eventStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let harness: ContractStore;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
    });
    afterAll(async () => {
      await harness?.cleanup();
    });

    const revisions = (events: RecordedEvent[]) => events.map((e) => e.revision);

    it('appends and reads a stream forwards, backwards, from a revision, with maxCount', async () => {
      const stream = newStreamId('order');
      const events = newEvents(5, 'OrderLine');
      const result = await store.append(stream, events, 'no_stream');
      expect(result.nextRevision).toBe(4n);

      const forwards = await store.readStream(stream);
      expect(forwards.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(revisions(forwards)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(forwards.map((e) => e.data)).toEqual(events.map((e) => e.data));
      expect(forwards.every((e) => e.streamId === stream && e.type === 'OrderLine')).toBe(true);
      expect(forwards.every((e) => !Number.isNaN(Date.parse(e.recordedAt)))).toBe(true);
      expectStrictlyIncreasing(forwards.map((e) => e.position));
      expect(forwards[4]!.position).toBe(result.position);

      const backwards = await store.readStream(stream, { direction: 'backwards' });
      expect(backwards.map((e) => e.id)).toEqual([...forwards].reverse().map((e) => e.id));
      expect(revisions(await store.readStream(stream, { fromRevision: 2n }))).toEqual([2n, 3n, 4n]);
      expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 2n }))).toEqual([
        2n,
        1n,
        0n,
      ]);
      expect(revisions(await store.readStream(stream, { maxCount: 2 }))).toEqual([0n, 1n]);
      expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([4n, 3n]);
      expect(revisions(await store.readStream(stream, { fromRevision: 1n, maxCount: 2 }))).toEqual([1n, 2n]);

      const unknown = newStreamId('order');
      expect(await store.readStream(unknown)).toEqual([]);
      expect(await store.readStream(unknown, { direction: 'backwards', maxCount: 1 })).toEqual([]);
    });

    it('checks expected revisions: no_stream, stream_exists, any, exact; conflicts write nothing', async () => {
      const a = newStreamId('product');
      await expectConflict(store.append(a, newEvents(1), 'stream_exists'), a, 'stream_exists', 'no_stream');
      await expectConflict(store.append(a, newEvents(1), 3n), a, 3n, 'no_stream');
      expect(await store.readStream(a)).toEqual([]);

      expect((await store.append(a, newEvents(1), 'no_stream')).nextRevision).toBe(0n);
      await expectConflict(store.append(a, newEvents(2), 'no_stream'), a, 'no_stream', 0n);
      expect((await store.append(a, newEvents(1), 'stream_exists')).nextRevision).toBe(1n);
      expect((await store.append(a, newEvents(2), 1n)).nextRevision).toBe(3n);
      await expectConflict(store.append(a, newEvents(1), 1n), a, 1n, 3n);
      await expectConflict(store.append(a, newEvents(1), 7n), a, 7n, 3n);
      expect((await store.append(a, newEvents(1), 'any')).nextRevision).toBe(4n);
      expect(revisions(await store.readStream(a))).toEqual([0n, 1n, 2n, 3n, 4n]);

      const b = newStreamId('product');
      expect((await store.append(b, newEvents(2), 'any')).nextRevision).toBe(1n);
      expect(revisions(await store.readStream(b))).toEqual([0n, 1n]);
    });

    it('50 concurrent writers on one stream: one winner per revision, contiguous, nothing lost', async () => {
      const stream = newStreamId('payment');
      const events = Array.from({ length: 50 }, (_, writer) => newEvent({ type: 'PaymentTick', data: { writer } }));
      const landed = await Promise.all(events.map((event) => appendWithRetry(store, stream, event)));
      expect([...landed].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(
        Array.from({ length: 50 }, (_, i) => BigInt(i)),
      );

      const read = await store.readStream(stream);
      expect(revisions(read)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
      expect(new Set(read.map((e) => e.id)).size).toBe(50);
      expect(new Set(read.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
      for (const event of read) {
        const writer = (event.data as { writer: number }).writer;
        expect(event.id).toBe(events[writer]!.id);
        expect(event.revision).toBe(landed[writer]);
      }
    });

    it('re-appending the same event ids at the same expected revision is idempotent', async () => {
      const stream = newStreamId('customer');
      const batch = newEvents(3, 'CustomerNoted');
      const first = await store.append(stream, batch, 'no_stream');
      const again = await store.append(stream, batch, 'no_stream');
      // The first append's result; a store that tells (SQLite) says this one wrote nothing.
      expect({ ...again, wrote: undefined }).toEqual({ ...first, wrote: undefined });
      if (first.wrote !== undefined) expect([first.wrote, again.wrote]).toEqual([true, false]);
      expect(revisions(await store.readStream(stream))).toEqual([0n, 1n, 2n]);

      const more = await store.append(stream, newEvents(1), 2n);
      expect(more.nextRevision).toBe(3n);
      expect({ ...(await store.append(stream, batch, 'no_stream')), wrote: undefined }).toEqual({
        ...first,
        wrote: undefined,
      });

      const second = newEvents(2, 'CustomerNoted');
      const atThree = await store.append(stream, second, 3n);
      expect({ ...(await store.append(stream, second, 3n)), wrote: undefined }).toEqual({
        ...atThree,
        wrote: undefined,
      }); // an exact revision, repeated
      expect({ ...(await store.append(stream, second, 'any')), wrote: undefined }).toEqual({
        ...atThree,
        wrote: undefined,
      }); // ids found in the stream
      const read = await store.readStream(stream);
      expect(revisions(read)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      expect(new Set(read.map((e) => e.id)).size).toBe(6);
    });

    it('the same ids at another expected revision, or a half-new batch, are conflicts (as EventStoreDB decides)', async () => {
      const stream = newStreamId('customer');
      const batch = newEvents(3, 'CustomerNoted');
      await store.append(stream, batch, 'no_stream');
      await store.append(stream, newEvents(1), 2n);
      // Expected revision 0: the events after it are not this batch.
      await expectConflict(store.append(stream, batch, 0n), stream, 0n, 3n);
      await expectConflict(store.append(stream, batch.slice(1), 'no_stream'), stream, 'no_stream', 3n);
      // The first event was appended at this revision, the second was not: refused, nothing written.
      const halfNew = [batch[0]!, newEvent({ type: 'CustomerNoted', data: { n: 99 } })];
      await expectConflict(store.append(stream, halfNew, 'no_stream'), stream, 'no_stream', 3n);
      const unknown = newStreamId('customer');
      await expectConflict(store.append(unknown, newEvents(1), 0n), unknown, 0n, 'no_stream');
      expect(revisions(await store.readStream(stream))).toEqual([0n, 1n, 2n, 3n]);
    });

    it('keeps one global order across streams; readAll `after` is exclusive; headPosition is the last', async () => {
      const start = await store.headPosition();
      const streams = [newStreamId('order'), newStreamId('product'), newStreamId('payment')];
      const appended: Array<{ id: string; streamId: string; position: bigint }> = [];
      for (let i = 0; i < 9; i++) {
        const streamId = streams[i % 3]!;
        const event = newEvent({ type: 'Interleaved', data: { i } });
        const result = await store.append(streamId, [event], 'any');
        appended.push({ id: event.id, streamId, position: result.position });
      }
      expectStrictlyIncreasing(appended.map((a) => a.position));
      const ours = (events: RecordedEvent[]) => events.filter((e) => streams.includes(e.streamId));

      const all = await store.readAll({ after: start });
      expectStrictlyIncreasing(all.map((e) => e.position));
      expect(all.every((e) => e.position > start)).toBe(true);
      expect(ours(all).map((e) => [e.id, e.streamId, e.position])).toEqual(
        appended.map((a) => [a.id, a.streamId, a.position]),
      );

      const fromMiddle = ours(await store.readAll({ after: appended[3]!.position }));
      expect(fromMiddle.map((e) => e.id)).toEqual(appended.slice(4).map((a) => a.id));

      const page = await store.readAll({ after: start, maxCount: 2 });
      expect(page).toHaveLength(2);
      expect(page.every((e) => e.position > start)).toBe(true);
      expectStrictlyIncreasing(page.map((e) => e.position));

      const head = await store.headPosition();
      const latest = await store.readAll({ direction: 'backwards', maxCount: 3 });
      if (harness.exclusive) {
        expect(head).toBe(appended[8]!.position);
        expect(latest.map((e) => e.id)).toEqual(
          appended
            .slice(6)
            .reverse()
            .map((a) => a.id),
        );
      } else {
        // Others write to this store meanwhile: the head is ours or later, and backwards is reverse order.
        expect(head).toBeGreaterThanOrEqual(appended[8]!.position);
        expectStrictlyIncreasing(latest.map((e) => e.position).reverse());
        expect(latest.every((e) => e.position <= head || !streams.includes(e.streamId))).toBe(true);
      }
      const before = ours(await store.readAll({ direction: 'backwards', after: appended[8]!.position }));
      expect(before.slice(0, 8).map((e) => e.id)).toEqual(
        appended
          .slice(0, 8)
          .reverse()
          .map((a) => a.id),
      );
    });

    it('every event of a multi-event append has a position of its own: readAll and subscribe can start between them', async () => {
      const stream = newStreamId('order');
      const events = newEvents(4, 'OrderLine');
      const result = await store.append(stream, events, 'no_stream');
      const read = await store.readStream(stream);
      expectStrictlyIncreasing(read.map((e) => e.position));
      expect(result.position).toBe(read[3]!.position);
      const rest = (await store.readAll({ after: read[1]!.position })).filter((e) => e.streamId === stream);
      expect(rest.map((e) => e.id)).toEqual([events[2]!.id, events[3]!.id]);
      const subscription = store.subscribeToAll({ after: read[2]!.position });
      const [next] = await withTimeout(
        collect(subscription, 1, (e) => e.streamId === stream),
        10_000,
        'subscription from the middle of an append',
      );
      expect(next!.id).toBe(events[3]!.id);
    });

    it('refuses a position the store never gave out, in readAll and subscribeToAll', async () => {
      const stream = newStreamId('order');
      const { position } = await store.append(stream, newEvents(1), 'no_stream');
      // position + 1 is inside that event's record on EventStoreDB, beyond the head on SQLite.
      for (const after of [position + 1n, -1n]) {
        const error = await rejectionOf(store.readAll({ after }));
        expect(error).toBeInstanceOf(InvalidPositionError);
        expect((error as InvalidPositionError).code).toBe('POSITION_INVALID');
      }
      const subscription = store.subscribeToAll({ after: position + 1n });
      const first = subscription[Symbol.asyncIterator]().next();
      expect(await withTimeout(rejectionOf(first), 10_000, 'subscription from a bad position')).toBeInstanceOf(
        InvalidPositionError,
      );
      await subscription.unsubscribe();
      expect((await store.readAll({ after: position })).every((e) => e.position > position)).toBe(true);
    });

    it('round-trips metadata', async () => {
      const stream = newStreamId('order');
      const metadata = newMetadata({
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { userId: 'user-42', role: 'tenant' },
        occurredAt: '2024-02-29T23:59:59.123Z',
        schemaVersion: 3,
        reason: 'Customer asked to cancel: "too late"',
        extra: { nested: [1, 'two', null] },
      });
      const event = { id: randomUUID(), type: 'OrderCancelled', data: { orderId: stream }, metadata };
      await store.append(stream, [event], 'no_stream');
      const [read] = await store.readStream(stream);
      expect(read!.metadata).toEqual(metadata);
      expect(read!.type).toBe('OrderCancelled');
      expect(read!.data).toEqual({ orderId: stream });
    });

    it('round-trips unicode payloads and a payload of 1,000,000 bytes exactly (under the 1 MiB append limit)', async () => {
      const stream = newStreamId('product');
      const unicode = {
        emoji: '🏠🔑💶 👩‍👩‍👧‍👦 🇪🇺',
        rtl: 'שלום עולם — مرحبا بالعالم',
        cjk: '賃貸管理システム 임대 管理',
        mixed: 'Zoë Åström ½ ∑ \u200d\u00a0 "quotes" \\ backslash \n newline \t tab',
        astral: '𝄞𠜎',
      };
      const big = payloadOf(1_000_000);
      const events = [newEvent({ type: 'UnicodeNoted', data: unicode }), newEvent({ type: 'BigPayload', data: big })];
      await store.append(stream, events, 'no_stream');
      const read = await store.readStream(stream);
      expect(read[0]!.data).toEqual(unicode);
      expect((read[1]!.data as typeof big).blob).toBe(big.blob);
      expect(read[1]!.data).toEqual(big);
    });

    it('refuses an append over 1 MiB (counted in bytes, as EventStoreDB counts) and writes none of it', async () => {
      const stream = newStreamId('product');
      const metadata = newMetadata();
      const fixed = Buffer.byteLength(JSON.stringify(metadata)) + 'BigPayload'.length * 2;
      // Exactly at the limit is accepted; one byte over is not, nor are two events that are over together.
      const atLimit = { id: randomUUID(), type: 'BigPayload', data: payloadOf(1024 * 1024 - fixed), metadata };
      await store.append(stream, [atLimit], 'no_stream');
      const over = { id: randomUUID(), type: 'BigPayload', data: payloadOf(1024 * 1024 - fixed + 1), metadata };
      const error = await rejectionOf(store.append(stream, [over], 0n));
      expect(error).toBeInstanceOf(AppendTooLargeError);
      expect((error as AppendTooLargeError).code).toBe('EVENTS_TOO_LARGE');
      const half = (n: number) => ({ id: randomUUID(), type: 'BigPayload', data: payloadOf(600_000 + n), metadata });
      expect(await rejectionOf(store.append(stream, [half(1), half(2)], 0n))).toBeInstanceOf(AppendTooLargeError);
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual([atLimit.id]);
    });

    it('a tombstoned stream is neither read nor appended to; other streams are untouched', async () => {
      const [gone, kept] = [newStreamId('customer'), newStreamId('customer')];
      await store.append(gone, newEvents(2), 'no_stream');
      await store.append(kept, newEvents(1), 'no_stream');
      await harness.tombstone(gone);
      const read = await rejectionOf(store.readStream(gone));
      expect(read).toBeInstanceOf(StreamDeletedError);
      expect((read as StreamDeletedError).streamId).toBe(gone);
      for (const expected of ['any', 1n, 'no_stream'] as const) {
        const error = await rejectionOf(store.append(gone, newEvents(1), expected));
        expect(error).toBeInstanceOf(StreamDeletedError);
        expect(error).not.toBeInstanceOf(WrongExpectedRevisionError);
      }
      expect(await store.readStream(kept)).toHaveLength(1);
    });

    it('subscribeToAll from a checkpoint: catch-up then live, in order, no gap, no duplicate', async () => {
      const streams = [newStreamId('order'), newStreamId('payment')];
      const before: Array<{ id: string; position: bigint }> = [];
      for (let i = 0; i < 6; i++) {
        const event = newEvent({ type: 'BeforeSubscribe', data: { i } });
        const result = await store.append(streams[i % 2]!, [event], 'any');
        before.push({ id: event.id, position: result.position });
      }
      const checkpoint = before[2]!.position;
      const subscription = store.subscribeToAll({ after: checkpoint });
      const liveCount = 10;
      const received = collect(subscription, 3 + liveCount, (e) => streams.includes(e.streamId));

      const live: Array<{ id: string; position: bigint }> = [];
      const appendLive = async (i: number) => {
        const event = newEvent({ type: 'WhileSubscribed', data: { i } });
        const result = await store.append(streams[i % 2]!, [event], 'any');
        live.push({ id: event.id, position: result.position });
      };
      await Promise.all([0, 1, 2].map(appendLive)); // races the catch-up
      await sleep(30);
      for (let i = 3; i < 6; i++) await appendLive(i);
      await sleep(30);
      await Promise.all([6, 7, 8, 9].map(appendLive));

      const events = await withTimeout(received, 15_000, 'subscription to deliver all events');
      await subscription.unsubscribe();
      const expected = [...before.slice(3), ...live].sort((x, y) => (x.position < y.position ? -1 : 1));
      expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      expect(events.map((e) => e.position)).toEqual(expected.map((e) => e.position));
      expect(events.every((e) => e.position > checkpoint)).toBe(true);
      expectStrictlyIncreasing(events.map((e) => e.position));
    });

    it('unsubscribe ends the iteration, also while a next() is pending', async () => {
      const subscription = store.subscribeToAll({ after: await store.headPosition() });
      const iterator = subscription[Symbol.asyncIterator]();
      const pending = iterator.next();
      await sleep(50);
      await subscription.unsubscribe();
      const result = await withTimeout(pending, 5_000, 'pending next() after unsubscribe');
      expect(result.done).toBe(true);
      expect((await iterator.next()).done).toBe(true);

      const stream = newStreamId('order');
      const second = store.subscribeToAll({ after: await store.headPosition() });
      await store.append(stream, newEvents(3), 'no_stream');
      const seen: RecordedEvent[] = [];
      const loop = (async () => {
        for await (const event of second) {
          if (event.streamId !== stream) continue;
          seen.push(event);
          await second.unsubscribe();
        }
      })();
      await withTimeout(loop, 5_000, 'for-await to end after unsubscribe');
      expect(seen).toHaveLength(1);
    });

    it('close() ends live subscriptions: a pending next() settles as done', async () => {
      const own = await open();
      try {
        const live = own.store.subscribeToAll({ after: await own.store.headPosition() });
        const pending = live[Symbol.asyncIterator]().next();
        await sleep(100);
        await withTimeout(own.store.close(), 10_000, 'close()');
        expect((await withTimeout(pending, 5_000, 'close to end the subscription')).done).toBe(true);
      } finally {
        await own.cleanup();
      }
    });

    it('keeps what the codec chains as it was written: every link recomputes from the events read back', async () => {
      // The hash chain lives in the codec above the adapter: the adapter must hand back data and
      // metadata that hash as they did when written (EventStoreDB: JSON in, JSON out).
      const coded = new CodedEventStore(store, new EventCodec(eventSchema));
      const stream = newStreamId('product');
      const adjusted = (delta: number) =>
        newEvent({
          type: 'ProductStockAdjusted',
          data: { productId: 'p', delta, stock: 1, note: 'Rentlog ✓ 賃貸 🏠', nested: { b: [1, 2.5, null], a: true } },
        });
      await coded.append(stream, [adjusted(1), adjusted(2)], 'no_stream');
      await coded.append(stream, [adjusted(3)], 1n);
      await coded.append(stream, [adjusted(4)], 'any');
      const stored = await store.readStream(stream);
      expect(stored).toHaveLength(4);
      let prev = GENESIS_HASH;
      for (const event of stored) {
        expect(linkOf(event)?.prev).toBe(prev);
        expect(chainHash(prev, event as ChainedFields)).toBe(linkOf(event)?.hash);
        prev = linkOf(event)!.hash;
      }
    });
  });
}
