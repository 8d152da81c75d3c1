/**
 * The event store contract: every adapter runs this same suite. Stream ids are unique per test and
 * global-log assertions look only at the test's own streams, so it can run against a shared server.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../application/ports/event-store.port.js';
import {
  appendWithRetry,
  collect,
  expectConflict,
  expectStrictlyIncreasing,
} from '../support/event-store.assertions.js';
import { sleep, withTimeout } from '../support/eventually.js';
import { newEvent, newEvents, newMetadata, newStreamId } from '../support/fixtures.js';

export function eventStoreContract(
  name: string,
  open: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(async () => {
      await cleanup?.();
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

    it('re-appending the same event ids is idempotent', async () => {
      const stream = newStreamId('customer');
      const batch = newEvents(3, 'CustomerNoted');
      const first = await store.append(stream, batch, 'no_stream');
      const again = await store.append(stream, batch, 'no_stream');
      expect(again).toEqual(first);
      expect(revisions(await store.readStream(stream))).toEqual([0n, 1n, 2n]);

      const more = await store.append(stream, newEvents(1), 2n);
      expect(more.nextRevision).toBe(3n);
      expect(await store.append(stream, batch, 'no_stream')).toEqual(first);
      const read = await store.readStream(stream);
      expect(read).toHaveLength(4);
      expect(new Set(read.map((e) => e.id)).size).toBe(4);
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
      expect(head).toBe(appended[8]!.position);
      const latest = await store.readAll({ direction: 'backwards', maxCount: 3 });
      expect(latest.map((e) => e.id)).toEqual(
        appended
          .slice(6)
          .reverse()
          .map((a) => a.id),
      );
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

    it('round-trips unicode payloads and a ~1 MB payload exactly', async () => {
      const stream = newStreamId('product');
      const unicode = {
        emoji: '🏠🔑💶 👩‍👩‍👧‍👦 🇪🇺',
        rtl: 'שלום עולם — مرحبا بالعالم',
        cjk: '賃貸管理システム 임대 管理',
        mixed: 'Zoë Åström ½ ∑ \u200d\u00a0 "quotes" \\ backslash \n newline \t tab',
        astral: '𝄞𠜎',
      };
      const chunk = 'Rentlog ✓ 賃貸 🏠 ';
      const big = {
        blob: chunk.repeat(Math.ceil(1_000_000 / chunk.length)),
        list: Array.from({ length: 1000 }, (_, i) => i),
      };
      expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(1_000_000);
      const events = [newEvent({ type: 'UnicodeNoted', data: unicode }), newEvent({ type: 'BigPayload', data: big })];
      await store.append(stream, events, 'no_stream');
      const read = await store.readStream(stream);
      expect(read[0]!.data).toEqual(unicode);
      expect((read[1]!.data as typeof big).blob).toBe(big.blob);
      expect(read[1]!.data).toEqual(big);
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
  });
}
