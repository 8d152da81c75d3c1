/** The read store's sealing over the real SQLite read store and key vault. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { personalReadModels } from '../../../application/privacy/personal-read-models.js';
import { HmacBlindIndex } from '../../../infrastructure/blind-index/hmac.blind-index.js';
import { MasterKeyring, parseMasterKey } from '../../../infrastructure/key-vault/master-keys.js';
import { SqliteKeyVault } from '../../../infrastructure/key-vault/sqlite.key-vault.js';
import { PersonalDataUnreadableError } from '../../../infrastructure/privacy/field-cipher.js';
import { SealedReadStore } from '../../../infrastructure/read-store/sealed.read-store.js';
import { SqliteReadStore } from '../../../infrastructure/read-store/sqlite.read-store.js';

describe('the sealed read store', () => {
  let dir: string;
  let plain: SqliteReadStore;
  let vault: SqliteKeyVault;
  let sealed: SealedReadStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-sealed-'));
    plain = new SqliteReadStore(path.join(dir, 'read-models.db'));
    vault = new SqliteKeyVault(
      path.join(dir, 'keys.db'),
      new MasterKeyring(parseMasterKey(randomBytes(32).toString('hex'))),
    );
    sealed = new SealedReadStore(plain, personalReadModels, vault, new HmacBlindIndex(randomBytes(32)));
    await plain.ensureCollection({ name: 'orders' });
    await plain.ensureCollection({ name: 'customers' });
  });
  afterEach(async () => {
    await plain.close();
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const order = {
    _id: 'o1',
    orderId: 'o1',
    customerId: 'c1',
    fulfilment: { method: 'delivery', address: '1 Secret Street' },
    damages: [
      { productId: 'p1', description: 'bent by Ann' },
      { productId: 'p2', description: 'torn' },
    ],
    total: { amount: 100, currency: 'EUR' },
  };

  it('keeps a document’s personal values in one envelope, the rest as it is, and opens them on read', async () => {
    await sealed.collection('orders').put(order);
    const stored = (await plain.collection('orders').findById('o1'))!;
    expect(stored).toMatchObject({
      fulfilment: { method: 'delivery', address: '[sealed]' },
      damages: [
        { productId: 'p1', description: '[sealed]' },
        { productId: 'p2', description: '[sealed]' },
      ],
      total: order.total,
      _sealed: expect.stringMatching(/^pd1\.customer:c1\./),
    });
    expect(JSON.stringify(stored)).not.toContain('Secret');
    expect(await sealed.collection('orders').findById('o1')).toEqual(order);
  });

  it('seals the same document the same way (a rebuild equals the live model)', async () => {
    await sealed.collection('orders').put(order);
    const first = await plain.collection('orders').findById('o1');
    await sealed.collection('orders').put({ ...order });
    expect(await plain.collection('orders').findById('o1')).toEqual(first);
  });

  it('reads an erased subject’s values as [erased], and writes them so', async () => {
    await sealed.collection('orders').put(order);
    await vault.destroy('customer:c1');
    expect(await sealed.collection('orders').findById('o1')).toMatchObject({
      fulfilment: { address: '[erased]' },
      damages: [{ description: '[erased]' }, { description: '[erased]' }],
    });
    await sealed.collection('orders').put({ ...order, _id: 'o2', orderId: 'o2' });
    expect(await plain.collection('orders').findById('o2')).toMatchObject({ fulfilment: { address: '[erased]' } });
  });

  it('refuses a changed envelope with a clear error', async () => {
    await sealed.collection('orders').put(order);
    const stored = (await plain.collection('orders').findById('o1'))!;
    await plain.collection('orders').put({ ...stored, _sealed: `${String(stored._sealed).slice(0, -2)}AA` });
    await expect(sealed.collection('orders').findById('o1')).rejects.toBeInstanceOf(PersonalDataUnreadableError);
  });

  it('derives the blind-index fields of customers before sealing, and hides them on read', async () => {
    const customer = {
      _id: 'c2',
      customerId: 'c2',
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: null,
      address: null,
    };
    await sealed.collection('customers').put(customer);
    const stored = (await plain.collection('customers').findById('c2'))!;
    expect(stored.emailKey).toMatch(/^[0-9a-f]{32}$/);
    expect(stored.nameWords).toHaveLength(2);
    expect(stored).toMatchObject({ name: '[sealed]', email: '[sealed]', phone: null });
    expect(await sealed.collection('customers').findById('c2')).toEqual(customer);
  });
});
