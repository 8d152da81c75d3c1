/**
 * A subscription that names the types it applies gets only those decrypted: every event is still
 * delivered in order (the checkpoint moves over all of them), the others as stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '../../../application/ports/event-store.port.js';
import { eventSchema } from '../../../domain/events.js';
import { CodedEventStore, EventCodec } from '../../../infrastructure/event-store/event-codec.js';
import type { EventCipher } from '../../../infrastructure/event-store/personal-data.cipher.js';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { newEvent } from '../../support/fixtures.js';

const marking: EventCipher = {
  encrypt: async (_s, events) => events,
  decrypt: async (events) => events.map((e) => ({ ...e, data: { ...(e.data as object), opened: true } })),
};

async function firstN(coded: CodedEventStore, n: number, types?: ReadonlySet<string>): Promise<RecordedEvent[]> {
  const subscription = coded.subscribeToAll({ types });
  const out: RecordedEvent[] = [];
  for await (const event of subscription) {
    out.push(event);
    if (out.length === n) break;
  }
  await subscription.unsubscribe();
  return out;
}

it('decrypts only the types the subscriber applies, and delivers every event in order', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-subtypes-'));
  const raw = new SqliteEventStore(path.join(dir, 'events.db'));
  const coded = new CodedEventStore(raw, new EventCodec(eventSchema), marking);
  try {
    await coded.append(
      'customer-c1',
      [newEvent({ type: 'CustomerRegistered', data: { customerId: 'c1' } })],
      'no_stream',
    );
    await coded.append('product-p1', [newEvent({ type: 'ProductRetired', data: { productId: 'p1' } })], 'no_stream');
    const some = await firstN(coded, 2, new Set(['ProductRetired']));
    expect(some.map((e) => [e.type, (e.data as { opened?: boolean }).opened ?? false])).toEqual([
      ['CustomerRegistered', false],
      ['ProductRetired', true],
    ]);
    const all = await firstN(coded, 2);
    expect(all.map((e) => (e.data as { opened?: boolean }).opened)).toEqual([true, true]);
  } finally {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
