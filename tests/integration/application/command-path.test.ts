import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventStore, ReadStreamOptions } from '../../../application/ports/event-store.port.js';
import { PreconditionFailedError } from '../../../application/shared/application.errors.js';
import { claimUnique } from '../../../application/shared/claim-unique.js';
import type { CommandContext } from '../../../application/shared/command-context.js';
import { CommandPath, snapshotStreamOf } from '../../../application/shared/command-path.js';
import { eventSchema } from '../../../domain/events.js';
import type { ProductCommand } from '../../../domain/product/product.commands.js';
import { productDecider } from '../../../domain/product/product.decider.js';
import { skuClaimDecider, skuKey } from '../../../domain/product/sku.js';
import { CodedEventStore, EventCodec } from '../../../infrastructure/event-store/event-codec.js';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { eur, newEvent } from '../../support/fixtures.js';
import { silentLogger } from '../../support/silent-logger.js';
import { TestClock } from '../../support/test-clock.js';

/** Counts the stream reads that go through it. */
class CountingStore extends CodedEventStore {
  reads = new Map<string, number>();
  override readStream(streamId: string, options?: ReadStreamOptions) {
    this.reads.set(streamId, (this.reads.get(streamId) ?? 0) + 1);
    return super.readStream(streamId, options);
  }
}

const ctx: CommandContext = {
  actor: { userId: 'staff-1', role: 'staff' },
  correlationId: 'corr-1',
  causationId: 'req-1',
  reason: 'testing',
};
const clock = new TestClock('2030-01-01T09:00:00.000Z');
const register = (productId: string, stock = 1): ProductCommand => ({
  type: 'RegisterProduct',
  data: {
    productId,
    sku: `SKU-${productId}`,
    name: 'Tent',
    category: 'events',
    dailyRate: eur(1000),
    deposit: eur(0),
    stock,
    bufferDays: 0,
    currency: 'EUR',
    now: clock.now().toISOString(),
  },
});
const hold = (orderId: string, from = '2030-02-01', to = '2030-02-02'): ProductCommand => ({
  type: 'HoldUnits',
  data: { orderId, quantity: 1, from, to, holdExpiresAt: '2030-01-01T10:00:00.000Z', now: clock.now().toISOString() },
});

let dir: string;
let raw: SqliteEventStore;
let store: CountingStore;
let commands: CommandPath;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-path-'));
  raw = new SqliteEventStore(path.join(dir, 'events.db'));
  store = new CountingStore(raw as EventStore, new EventCodec(eventSchema));
  commands = new CommandPath(store, clock, { uuid: () => randomUUID() }, silentLogger);
});
afterEach(async () => {
  await raw.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the command path', () => {
  it('loads, decides, appends with the metadata of the command, and answers the new state, revision and position', async () => {
    const result = await commands.handle(productDecider, 'p1', register('p1'), ctx);
    expect(result).toMatchObject({ revision: 0n, position: 1n, state: { status: 'active', stock: 1 } });
    const [event] = await raw.readStream('product-p1');
    expect(event.metadata).toEqual({
      correlationId: 'corr-1',
      causationId: 'req-1',
      actor: ctx.actor,
      occurredAt: '2030-01-01T09:00:00.000Z',
      reason: 'testing',
      schemaVersion: 1,
      // The event codec's hash chain: the stream's first event follows the genesis hash.
      chain: { prev: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('decides nothing and appends nothing when the decider decides nothing', async () => {
    await commands.handle(productDecider, 'p1', register('p1'), ctx);
    await commands.handle(
      productDecider,
      'p1',
      { type: 'RetireProduct', data: { now: clock.now().toISOString() } },
      ctx,
    );
    const again = await commands.handle(
      productDecider,
      'p1',
      { type: 'RetireProduct', data: { now: clock.now().toISOString() } },
      ctx,
    );
    expect(again).toMatchObject({ events: [], revision: 1n, position: 2n });
  });

  it('retries a concurrent writer on fresh state: of two holds on the last unit, exactly one wins', async () => {
    await commands.handle(productDecider, 'p1', register('p1', 1), ctx);
    const outcomes = await Promise.allSettled([
      commands.handle(productDecider, 'p1', hold('o1'), ctx),
      commands.handle(productDecider, 'p1', hold('o2'), ctx),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      code: 'UNITS_UNAVAILABLE',
    });
  });

  it('answers If-Match on a moved stream with a 412 error, never retried, appending nothing', async () => {
    await commands.handle(productDecider, 'p1', register('p1'), ctx);
    const before = await raw.headPosition();
    const reprice: ProductCommand = {
      type: 'RepriceProduct',
      data: { dailyRate: eur(1200), currency: 'EUR', now: clock.now().toISOString() },
    };
    await expect(commands.handle(productDecider, 'p1', reprice, ctx, { expectedRevision: 5n })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(await raw.headPosition()).toBe(before);
    expect((await commands.handle(productDecider, 'p1', reprice, ctx, { expectedRevision: 0n })).revision).toBe(1n);
  });

  it('runs the access check inside its one load, and decides on a load it was given without reading again', async () => {
    await commands.handle(productDecider, 'p1', register('p1'), ctx);
    await expect(
      commands.load(productDecider, 'p1', () => {
        throw new Error('not yours');
      }),
    ).rejects.toThrow('not yours');
    store.reads.clear();
    const loaded = await commands.load(productDecider, 'p1');
    await commands.handle(productDecider, 'p1', hold('o1'), ctx, { loaded });
    expect(store.reads.get('product-p1')).toBe(1);
  });

  it('decides on the state it keeps folded without reading the stream, and answers what a full load gives', async () => {
    await commands.handle(productDecider, 'p1', register('p1', 2), ctx);
    store.reads.clear();
    const held = await commands.handle(productDecider, 'p1', hold('o1'), ctx);
    expect(store.reads.get('product-p1')).toBeUndefined();
    const fresh = new CommandPath(store, clock, { uuid: () => randomUUID() }, silentLogger);
    const loaded = await fresh.load(productDecider, 'p1');
    expect(held).toMatchObject({ revision: 1n, position: loaded.position });
    expect(held.state).toEqual(loaded.state);
  });

  it('takes a decision again on the stream when another process appended after the state it keeps', async () => {
    await commands.handle(productDecider, 'p1', register('p1', 1), ctx);
    await commands.handle(productDecider, 'p1', hold('o1'), ctx);
    // Another process (its own command path on the same store) releases the only unit ...
    const other = new CommandPath(store, clock, { uuid: () => randomUUID() }, silentLogger);
    const release: ProductCommand = {
      type: 'ReleaseUnits',
      data: { orderId: 'o1', reason: 'cancelled', now: clock.now().toISOString() },
    };
    await other.handle(productDecider, 'p1', release, ctx);
    // ... so a hold here, refused on the state kept (the unit still held), is retaken on the stream's state.
    const held = await commands.handle(productDecider, 'p1', hold('o2'), ctx);
    expect(held.revision).toBe(3n);
    // And the other way round: the unit released here, a hold there (decided on the older state it
    // keeps, its append conflicts and is retaken) takes it; a hold here, decided on the state kept here
    // (the unit free), conflicts on its append, and the decision taken again on the stream refuses it.
    await commands.handle(productDecider, 'p1', { ...release, data: { ...release.data, orderId: 'o2' } }, ctx);
    await expect(other.handle(productDecider, 'p1', hold('o3'), ctx)).resolves.toMatchObject({ revision: 5n });
    await expect(commands.handle(productDecider, 'p1', hold('o4'), ctx)).rejects.toMatchObject({
      code: 'UNITS_UNAVAILABLE',
    });
    expect((await raw.readStream('product-p1')).map((e) => e.type)).toEqual([
      'ProductRegistered',
      'UnitsHeld',
      'UnitsReleased',
      'UnitsHeld',
      'UnitsReleased',
      'UnitsHeld',
    ]);
  });

  it('snapshots a long stream through the same path (same metadata, schema version), then loads the snapshot and the tail only', async () => {
    await commands.handle(productDecider, 'p1', register('p1', 1000), ctx);
    for (let i = 0; i < 60; i++) await commands.handle(productDecider, 'p1', hold(`o${i}`), ctx);
    const snapshots = await raw.readStream(snapshotStreamOf('product-p1'));
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({
      type: 'Snapshotted',
      data: { version: productDecider.snapshots!.version, revision: '49' },
    }); // 50 events: revisions 0..49
    expect(snapshots[0].metadata).toMatchObject({
      correlationId: 'corr-1',
      causationId: 'req-1',
      actor: ctx.actor,
      schemaVersion: 1,
    });
    const fromSnapshot = await commands.load(productDecider, 'p1');
    const replayed = (await raw.readStream('product-p1')).reduce(
      (s, e) => productDecider.evolve(s, e as never),
      productDecider.initialState(),
    );
    expect(fromSnapshot).toMatchObject({ revision: 60n, snapshotRevision: 49n });
    expect(fromSnapshot.state).toEqual(replayed);
  });

  it('ignores a snapshot of another version and replays the stream', async () => {
    await commands.handle(productDecider, 'p1', register('p1'), ctx);
    const stale = newEvent({
      type: 'Snapshotted',
      data: { version: 999, revision: '0', position: '1', state: { status: 'unregistered' } },
    });
    await store.append(snapshotStreamOf('product-p1'), [stale], 'any');
    expect((await commands.load(productDecider, 'p1')).state).toMatchObject({ status: 'active' });
  });
});

describe('unique claims', () => {
  it('refuse a SKU claimed in the old format (read through its upcaster) for another product', async () => {
    await raw.append(
      skuClaimDecider.streamOf(skuKey('DRL-1')),
      [newEvent({ type: 'SkuClaimed', data: { sku: 'DRL-1', productId: 'p-old' } })],
      'no_stream',
    );
    await commands.handle(productDecider, 'p-old', register('p-old'), ctx);
    await expect(
      claimUnique(commands, skuClaimDecider, skuKey(' drl-1 '), { newId: 'p-new', decider: productDecider }, ctx),
    ).rejects.toMatchObject({ code: 'SKU_TAKEN' });
  });

  it('re-use a claim whose owner was never registered (a crash in between), and answer that owner', async () => {
    await commands.handle(
      skuClaimDecider,
      skuKey('TENT'),
      { type: 'ClaimUniqueValue', data: { ownerId: 'p-crashed' } },
      ctx,
    );
    expect(
      await claimUnique(commands, skuClaimDecider, skuKey('tent'), { newId: 'p-new', decider: productDecider }, ctx),
    ).toBe('p-crashed');
    expect(await raw.readStream(skuClaimDecider.streamOf(skuKey('tent')))).toHaveLength(1);
  });
});
