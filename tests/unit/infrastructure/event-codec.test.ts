import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventSchema } from '../../../domain/events.js';
import { CodedEventStore, EventCodec, UnknownEventTypeError } from '../../../infrastructure/event-store/event-codec.js';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { newEvent } from '../../support/fixtures.js';

describe('the event codec', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let coded: CodedEventStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-codec-'));
    raw = new SqliteEventStore(path.join(dir, 'events.db'));
    coded = new CodedEventStore(raw, new EventCodec(eventSchema));
  });
  afterEach(async () => {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stamps each event with its type's current schema version", async () => {
    const event = newEvent({ type: 'CustomerRegistered', data: { customerId: 'c1' } });
    delete (event.metadata as { schemaVersion?: number }).schemaVersion;
    await coded.append('customer-c1', [event], 'no_stream');
    const [stored] = await raw.readStream('customer-c1');
    expect(stored.metadata.schemaVersion).toBe(eventSchema.versions.CustomerRegistered);
  });

  it('refuses an event type the domain does not declare, writing nothing', async () => {
    await expect(
      coded.append('customer-c1', [newEvent({ type: 'CustomerRegisterd', data: {} })], 'no_stream'),
    ).rejects.toBeInstanceOf(UnknownEventTypeError);
    expect(await raw.headPosition()).toBe(0n);
  });

  it('reads an event of an old schema through its upcaster: a SkuClaimed (version 1) is a UniqueValueClaimed', async () => {
    const legacy = newEvent({ type: 'SkuClaimed', data: { sku: 'DRL-1', productId: 'p1' } });
    await raw.append('sku-drl-1', [legacy], 'no_stream'); // written before SKUs and emails shared one claim
    const expected = {
      id: legacy.id,
      streamId: 'sku-drl-1',
      revision: 0n,
      type: 'UniqueValueClaimed',
      data: { scope: 'sku', ownerId: 'p1' },
    };
    const [read] = await coded.readStream('sku-drl-1');
    expect(read).toMatchObject({ ...expected, metadata: { schemaVersion: 1 } });
    expect((await coded.readAll())[0]).toMatchObject(expected);
    const subscription = coded.subscribeToAll();
    for await (const event of subscription) {
      expect(event).toMatchObject(expected);
      break;
    }
  });

  it('leaves current events and events of types it does not know as they are', async () => {
    const current = newEvent({ type: 'UniqueValueClaimed', data: { scope: 'sku', ownerId: 'p2' } });
    await coded.append('sku-x', [current], 'no_stream');
    await raw.append(`foreign-${randomUUID()}`, [newEvent({ type: 'SomethingElse', data: { n: 1 } })], 'no_stream');
    const [a, b] = await coded.readAll();
    expect(a).toMatchObject({ type: 'UniqueValueClaimed', data: current.data });
    expect(b).toMatchObject({ type: 'SomethingElse', data: { n: 1 } });
  });
});
