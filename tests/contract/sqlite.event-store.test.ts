import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../../application/ports/event-store.port.js';
import { ScopedEventStore } from '../../infrastructure/event-store/scoped.event-store.js';
import { SqliteEventStore, openSqliteEventStore } from '../../infrastructure/event-store/sqlite.event-store.js';
import { collect, expectStrictlyIncreasing } from '../support/event-store.assertions.js';
import { sleep, withTimeout } from '../support/eventually.js';
import { newEvent, newEvents, newStreamId } from '../support/fixtures.js';
import { PROJECT_ROOT, runNodeScript } from '../support/run-node-script.js';
import { eventStoreContract } from './event-store.contract.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => BigInt(i + from));

function openTemp() {
  const dir = mkdtempSync(join(tmpdir(), 'rentlog-es-contract-'));
  const store = new SqliteEventStore(join(dir, 'events.db'), { pollIntervalMs: 20 });
  const cleanup = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, cleanup };
}

eventStoreContract('SqliteEventStore', async () => {
  const { store, cleanup } = openTemp();
  return { store, cleanup, tombstone: async (id) => store.tombstone(id), exclusive: true };
});

// Through a stream prefix (as the end-to-end tests share one EventStoreDB in CI), with another scope
// writing to the same file before each of its appends: the scope must see only its own streams.
eventStoreContract('SqliteEventStore scoped to a stream prefix, beside another scope', async () => {
  const { store: sqlite, cleanup } = openTemp();
  const neighbour = new ScopedEventStore(sqlite, 'neighbour_');
  const noisy: EventStore = Object.assign(Object.create(sqlite) as EventStore, {
    append: (streamId: string, events: NewEvent[], expected: ExpectedRevision) => {
      void neighbour.append(newStreamId('order'), newEvents(1), 'no_stream'); // queued first: lands first
      return sqlite.append(streamId, events, expected);
    },
  });
  const scope = new ScopedEventStore(noisy, `t${randomUUID().slice(0, 8)}_`);
  return { store: scope, cleanup, tombstone: async (id) => sqlite.tombstone(scope.storeName(id)), exclusive: true };
});

describe('SqliteEventStore (SQLite only)', () => {
  let dir: string;
  const open: SqliteEventStore[] = [];
  const openStore = (name = 'events.db', pollIntervalMs = 20) => {
    const store = openSqliteEventStore(join(dir, name), { pollIntervalMs });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rentlog-es-sqlite-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serializes concurrent writers in 4 processes: revisions 0..99, every id once, seen live by a subscriber', async () => {
    const path = join(dir, 'events.db');
    const store = openStore();
    const stream = newStreamId('order');
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    const seen = collect(subscription, 100, (e) => e.streamId === stream);

    const child = join(PROJECT_ROOT, 'tests/support/sqlite-append-child.ts');
    const outputs = await Promise.all(
      ['A', 'B', 'C', 'D'].map((worker) => runNodeScript(child, [path, stream, '25', worker])),
    );
    const ids = outputs.flatMap((out) => (JSON.parse(out) as { ids: string[] }).ids);
    expect(ids).toHaveLength(100);

    const read = await store.readStream(stream);
    expect(read.map((e) => e.revision)).toEqual(range(100));
    expect(read.map((e) => e.position)).toEqual(range(100, 1));
    expect(new Set(read.map((e) => e.id))).toEqual(new Set(ids));
    expect(new Set(read.map((e) => e.id)).size).toBe(100);

    const live = await withTimeout(seen, 15_000, 'subscriber to see the children appends');
    expect(live.map((e) => e.id)).toEqual(read.map((e) => e.id));
    expect(store.subscriptionCount).toBe(0);
  });

  it('keeps data across close and reopen; positions continue gap-free', async () => {
    const path = join(dir, 'events.db');
    const [a, b] = [newStreamId('order'), newStreamId('product')];
    const first = new SqliteEventStore(path);
    await first.append(a, newEvents(3), 'no_stream');
    await first.append(b, newEvents(2), 'no_stream');
    const pending = first.append(a, newEvents(1), 2n); // not awaited: close() must flush it
    const before = await first.readAll();
    await first.close();
    await expect(pending).resolves.toEqual({ nextRevision: 3n, position: 6n, wrote: true });
    await expect(first.append(a, newEvents(1), 'any')).rejects.toThrow(/closed/);
    await expect(first.readStream(a)).rejects.toThrow(/closed/);

    const reopened = openStore();
    const after = await reopened.readAll();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.position)).toEqual(range(6, 1));
    expect(await reopened.headPosition()).toBe(6n);
    expect(await reopened.append(a, newEvents(1), 3n)).toEqual({ nextRevision: 4n, position: 7n, wrote: true });
  });

  it('group commit: 500 concurrent appends share a handful of transactions', async () => {
    const store = openStore();
    const before = store.stats;
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        store.append(newStreamId('product'), [newEvent({ type: 'Listed', data: { i } })], 'no_stream'),
      ),
    );
    const transactions = store.stats.transactions - before.transactions;
    expect(transactions).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeLessThanOrEqual(5);
    expect(store.stats.appends - before.appends).toBe(500);
    expect(results.map((r) => r.position).sort((x, y) => (x < y ? -1 : 1))).toEqual(range(500, 1));
    expect(results.every((r) => r.nextRevision === 0n)).toBe(true);
  });

  it('a conflicting append in a batch rolls back alone; positions stay gap-free', async () => {
    const store = openStore();
    const [s, other] = [newStreamId('order'), newStreamId('order')];
    const before = store.stats.transactions;
    const settled = await Promise.allSettled([
      store.append(s, newEvents(2), 'no_stream'),
      store.append(s, newEvents(3), 'no_stream'),
      store.append(other, newEvents(1), 'no_stream'),
      store.append(s, newEvents(1), 1n),
    ]);
    expect(store.stats.transactions - before).toBe(1);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const conflict = (settled[1] as PromiseRejectedResult).reason as WrongExpectedRevisionError;
    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(conflict.actual).toBe(1n);
    expect((settled[3] as PromiseFulfilledResult<{ nextRevision: bigint }>).value.nextRevision).toBe(2n);
    expect((await store.readAll()).map((e) => e.position)).toEqual(range(4, 1));
    expect((await store.append(other, newEvents(1), 0n)).position).toBe(5n);
  });

  it('ids EventStoreDB would store twice are refused (DuplicateEventIdError); repeats follow its rules', async () => {
    const store = openStore();
    const [s, other] = [newStreamId('customer'), newStreamId('customer')];
    const batch = newEvents(3);
    const first = await store.append(s, batch, 'no_stream');
    await store.append(s, newEvents(1), 'any');
    const repeat = { ...first, wrote: false };
    expect(await store.append(s, batch, 'any')).toEqual(repeat);
    // As on EventStoreDB: ids found with `any`/`stream_exists` are a repeat, whatever their order.
    expect(await store.append(s, batch.slice(1), 'stream_exists')).toEqual(repeat);
    const duplicates = [
      store.append(s, batch, 3n), // the expected revision matches: EventStoreDB would write them again
      store.append(other, batch, 'no_stream'), // ids of another stream
      store.append(other, batch, 'any'),
    ];
    for (const refusal of duplicates) await expect(refusal).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(store.append(other, [batch[0]!, batch[0]!], 'no_stream')).rejects.toThrow(/twice in one append/);
    await expect(store.append(s, [batch[0]!, newEvent({ type: 'New', data: {} })], 'any')).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(await store.readStream(s)).toHaveLength(4);
    expect(await store.readStream(other)).toEqual([]);
    expect((await store.append(other, newEvents(1), 'no_stream')).position).toBe(5n);
  });

  it('cleans up when a for-await breaks, and close() ends live subscriptions', async () => {
    const store = openStore();
    await store.append(newStreamId('order'), newEvents(3), 'no_stream');
    const sub = store.subscribeToAll();
    expect(store.subscriptionCount).toBe(1);
    const got: RecordedEvent[] = [];
    for await (const event of sub) {
      got.push(event);
      if (got.length === 2) break;
    }
    expect(got.map((e) => e.position)).toEqual([1n, 2n]);
    expect(store.subscriptionCount).toBe(0);

    const live = store.subscribeToAll({ after: 3n });
    const pending = live[Symbol.asyncIterator]().next();
    await sleep(30);
    await store.close();
    expect((await withTimeout(pending, 2_000, 'close to end the subscription')).done).toBe(true);
  });

  it('works in memory and reads the global log backwards and with after/maxCount', async () => {
    const store = new SqliteEventStore(':memory:');
    open.push(store);
    expect(await store.headPosition()).toBe(0n);
    await store.ping();
    await store.append(newStreamId('order'), newEvents(5), 'no_stream');
    expect((await store.readAll({ after: 2n, maxCount: 2 })).map((e) => e.position)).toEqual([3n, 4n]);
    expect((await store.readAll({ direction: 'backwards', after: 4n })).map((e) => e.position)).toEqual([3n, 2n, 1n]);
    expect((await store.readAll({ maxCount: 0 })).length).toBe(0);
    expectStrictlyIncreasing((await store.readAll()).map((e) => e.position));
  });
});
