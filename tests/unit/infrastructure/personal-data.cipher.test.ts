/**
 * The codec's encryption step over the real SQLite event store and key vault: what the store holds
 * is ciphertext, what the application reads is the value, a destroyed key reads as `[erased]`, and
 * a ciphertext changed by one bit, or moved, fails authentication without stopping anything else.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { eventSchema } from '../../../domain/events.js';
import { personalData } from '../../../domain/personal-data.js';
import type { CustomerRegistered } from '../../../domain/customer/customer.events.js';
import { CodedEventStore, EventCodec } from '../../../infrastructure/event-store/event-codec.js';
import { PersonalDataCipher } from '../../../infrastructure/event-store/personal-data.cipher.js';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { MasterKeyring, parseMasterKey } from '../../../infrastructure/key-vault/master-keys.js';
import { SqliteKeyVault } from '../../../infrastructure/key-vault/sqlite.key-vault.js';
import { PersonalDataUnreadableError } from '../../../infrastructure/privacy/field-cipher.js';
import { newEvent } from '../../support/fixtures.js';
import { silentLogger } from '../../support/silent-logger.js';

describe('personal data in the event codec', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let vault: SqliteKeyVault;
  let coded: CodedEventStore;
  const errors: Array<Record<string, unknown>> = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-pd-'));
    raw = new SqliteEventStore(path.join(dir, 'events.db'));
    vault = new SqliteKeyVault(
      path.join(dir, 'keys.db'),
      new MasterKeyring(parseMasterKey(randomBytes(32).toString('hex'))),
    );
    const logger = {
      ...silentLogger,
      error: (_m: string, meta?: Record<string, unknown>) => void errors.push(meta ?? {}),
    };
    coded = new CodedEventStore(raw, new EventCodec(eventSchema), new PersonalDataCipher(personalData, vault, logger));
  });
  afterEach(async () => {
    await raw.close();
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const customer = (name = `Canary ${randomUUID()}`): CustomerRegistered => {
    const id = randomUUID();
    return {
      type: 'CustomerRegistered',
      data: {
        customerId: id,
        name,
        email: `${id}@canary.example`,
        phone: '+44 20 7946 0999',
        address: `${id} Canary Wharf`,
        userId: null,
        registeredAt: '2026-12-01T10:00:00.000Z',
      },
    };
  };
  const register = async (c = customer()) => {
    await coded.append(`customer-${c.data.customerId}`, [newEvent(c)], 'no_stream');
    return c;
  };
  const tamper = (customerId: string, change: (data: Record<string, string>) => void) => {
    const db = new Database(path.join(dir, 'events.db'));
    const row = db.prepare('SELECT position, data FROM events WHERE stream_id = ?').get(`customer-${customerId}`) as {
      position: number;
      data: string;
    };
    const data = JSON.parse(row.data) as Record<string, string>;
    change(data);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
    db.close();
  };

  it('stores every personal field encrypted, under a fresh nonce per field, and reads it back whole', async () => {
    const c = await register();
    const [stored] = await raw.readStream(`customer-${c.data.customerId}`);
    const data = stored.data as Record<string, string>;
    for (const field of ['name', 'email', 'phone', 'address'] as const) {
      expect(data[field]).toMatch(/^pd1\.customer:[0-9a-f-]+\.[\w-]{16}\.[\w-]+$/);
      expect(data[field]).not.toContain(c.data[field]!);
    }
    expect(new Set(['name', 'email', 'phone', 'address'].map((f) => data[f].split('.')[2])).size).toBe(4);
    expect(data.customerId).toBe(c.data.customerId); // ids and dates stay as they are
    expect(data.registeredAt).toBe(c.data.registeredAt);
    const [read] = await coded.readStream(`customer-${c.data.customerId}`);
    expect(read.data).toEqual(c.data);
    const files = readdirSync(dir).map((f) => readFileSync(path.join(dir, f)));
    for (const bytes of files)
      for (const value of [c.data.name, c.data.email, c.data.address!]) expect(bytes.includes(value)).toBe(false);
  });

  it('seals the same value differently in two events (no nonce is reused)', async () => {
    const a = await register(customer('Same Name'));
    const b = await register(customer('Same Name'));
    const [sa] = await raw.readStream(`customer-${a.data.customerId}`);
    const [sb] = await raw.readStream(`customer-${b.data.customerId}`);
    expect((sa.data as { name: string }).name).not.toBe((sb.data as { name: string }).name);
  });

  it('reads the personal fields of an erased subject as [erased], and nothing else changes', async () => {
    const [gone, kept] = [await register(), await register()];
    await vault.destroy(`customer:${gone.data.customerId}`);
    const [read] = await coded.readStream(`customer-${gone.data.customerId}`);
    expect(read.data).toEqual({
      ...gone.data,
      name: '[erased]',
      email: '[erased]',
      phone: '[erased]',
      address: '[erased]',
    });
    expect((await coded.readStream(`customer-${kept.data.customerId}`))[0].data).toEqual(kept.data);
  });

  it('records no personal data of a subject erased before the event was written', async () => {
    const c = customer();
    await vault.destroy(`customer:${c.data.customerId}`);
    await register(c);
    const [stored] = await raw.readStream(`customer-${c.data.customerId}`);
    expect(stored.data).toMatchObject({ name: '[erased]', email: '[erased]', phone: '[erased]' });
  });

  it('refuses a ciphertext with one bit flipped, with a clear error; other customers read on', async () => {
    const [bad, good] = [await register(), await register()];
    tamper(bad.data.customerId, (data) => {
      const chars = data.phone.split('');
      const i = chars.length - 5;
      chars[i] = chars[i] === 'A' ? 'B' : 'A';
      data.phone = chars.join('');
    });
    await expect(coded.readStream(`customer-${bad.data.customerId}`)).rejects.toBeInstanceOf(
      PersonalDataUnreadableError,
    );
    await expect(coded.readStream(`customer-${bad.data.customerId}`)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_UNREADABLE',
      message: expect.not.stringContaining(bad.data.phone!),
    });
    expect((await coded.readStream(`customer-${good.data.customerId}`))[0].data).toEqual(good.data);
  });

  it('refuses a ciphertext moved to another field or another event (the event id and path are bound)', async () => {
    const [a, b] = [await register(), await register()];
    const [sa] = await raw.readStream(`customer-${a.data.customerId}`);
    tamper(a.data.customerId, (data) => {
      data.email = data.address; // same key, same event, another field
    });
    await expect(coded.readStream(`customer-${a.data.customerId}`)).rejects.toBeInstanceOf(PersonalDataUnreadableError);
    tamper(b.data.customerId, (data) => {
      data.name = (sa.data as { name: string }).name; // another customer's ciphertext
    });
    await expect(coded.readStream(`customer-${b.data.customerId}`)).rejects.toBeInstanceOf(PersonalDataUnreadableError);
  });

  it('goes on past an unreadable field on a subscription (it reads as [unreadable] and is logged, without the data)', async () => {
    const [bad, good] = [await register(), await register()];
    tamper(bad.data.customerId, (data) => {
      data.name = `${data.name.slice(0, -3)}AAA`;
    });
    const subscription = coded.subscribeToAll();
    const seen: unknown[] = [];
    for await (const event of subscription) {
      seen.push(event.data);
      if (seen.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(seen[0]).toEqual({ ...bad.data, name: '[unreadable]' });
    expect(seen[1]).toEqual(good.data);
    expect(errors).toEqual([expect.objectContaining({ field: 'name', streamId: `customer-${bad.data.customerId}` })]);
    expect(JSON.stringify(errors)).not.toContain(bad.data.email);
  });

  it('encrypts elements of arrays by their own paths (damage reports of a return)', async () => {
    const event = newEvent({
      type: 'OrderReturned',
      data: {
        orderId: 'o1',
        customerId: 'c9',
        returnedOn: '2026-12-01',
        lateDays: 0,
        lateFee: { amount: 0, currency: 'EUR' },
        damages: [
          { productId: 'p1', description: 'scratched by Ms Canary', charge: { amount: 100, currency: 'EUR' } },
          { productId: 'p2', description: 'dented', charge: { amount: 200, currency: 'EUR' } },
        ],
        damageCharges: { amount: 300, currency: 'EUR' },
        items: [],
        returnedAt: '2026-12-01T10:00:00.000Z',
      },
    });
    await coded.append('order-o1', [event], 'no_stream');
    const [stored] = await raw.readStream('order-o1');
    const damages = (stored.data as { damages: Array<{ description: string; productId: string }> }).damages;
    expect(damages.map((d) => d.description)).toEqual([
      expect.stringMatching(/^pd1\.customer:c9\./),
      expect.stringMatching(/^pd1\./),
    ]);
    expect(damages[0].productId).toBe('p1');
    expect((await coded.readStream('order-o1'))[0].data).toEqual(event.data);
  });
});
