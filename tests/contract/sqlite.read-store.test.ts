import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc } from '../../application/ports/read-store.port.js';
import { SqliteReadStore } from '../../infrastructure/read-store/sqlite.read-store.js';
import { readStoreContract } from './read-store.contract.js';

function openTemp(): { store: SqliteReadStore; cleanup: () => Promise<void>; reopen: () => Promise<SqliteReadStore> } {
  const dir = mkdtempSync(join(tmpdir(), 'rentlog-read-store-'));
  const store = new SqliteReadStore(join(dir, 'read.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
    reopen: async () => new SqliteReadStore(join(dir, 'read.db')),
  };
}

readStoreContract('SQLite', async () => openTemp());

describe('SqliteReadStore specifics', () => {
  let store: SqliteReadStore;
  let cleanup: () => Promise<void>;
  beforeAll(() => ({ store, cleanup } = openTemp()));
  afterAll(async () => cleanup());

  it('uses the declared expression indexes for filtered, sorted pages, also after promote', async () => {
    for (const name of ['items', 'items__rebuild']) {
      await store.ensureCollection({
        name,
        indexes: [{ fields: { category: 1, name: 1 } }, { fields: { price: -1 } }],
      });
    }
    await store.commit({
      checkpoint: 'items',
      expected: null,
      next: 1n,
      writes: [{ collection: 'items', id: 'i1', doc: { _id: 'i1', category: 'c', name: 'n', tags: ['t'] } }],
    });
    const plans = (name: string) => [
      store.explain(name, { category: 'tools' }, { name: 1 }),
      store.explain(name, { category: 'tools', name: { $gte: 'm' } }, { category: 1, name: 1 }),
      store.explain(name, { price: { $lt: 50 } }, { price: -1 }),
      store.explain(name, { category: 'tools', tags: 't' }, { name: 1 }),
    ];
    for (const [page, range, desc, arrays] of [plans('items'), plans('items__rebuild')]) {
      expect(page.join('\n')).toMatch(/USING INDEX ix_/);
      expect(page.join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(range.join('\n')).toMatch(/USING INDEX ix_/);
      expect(desc.join('\n')).toMatch(/USING INDEX ix_/);
      expect(desc.join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(arrays.join('\n')).toMatch(/USING INDEX ix_/);
    }
    await store.promote([{ from: 'items__rebuild', to: 'items' }], 'items__rebuild', 'items');
    await store.ensureCollection({ name: 'items__rebuild', indexes: [{ fields: { category: 1, name: 1 } }] });
    expect(store.explain('items__rebuild', { category: 'x' }, { name: 1 }).join('\n')).toMatch(/USING INDEX ix_/);
    expect(store.explain('items', { category: 'x' }, { name: 1 }).join('\n')).toMatch(/USING INDEX ix_/);
  });

  it('answers correctly over 100k documents', async () => {
    const name = 'big';
    await store.ensureCollection({
      name,
      indexes: [{ fields: { category: 1, price: 1 } }, { fields: { sku: 1 }, unique: true }],
    });
    const total = 100_000;
    const docOf = (i: number): Doc => ({
      _id: `b${i}`,
      sku: `sku-${i}`,
      category: `c${i % 50}`,
      price: (i * 7919) % 1000,
      title: `Item ${i}`,
    });
    let position: bigint | null = null;
    for (let start = 0; start < total; start += 10_000) {
      const writes = Array.from({ length: 10_000 }, (_, k) => ({
        collection: name,
        id: `b${start + k}`,
        doc: docOf(start + k),
      }));
      const next = BigInt(start + 10_000);
      await store.commit({ checkpoint: name, expected: position, next, writes });
      position = next;
    }
    const c = store.collection(name);
    expect(await c.count()).toBe(total);
    expect(await c.count({ category: 'c7' })).toBe(total / 50);
    const all = Array.from({ length: total }, (_, i) => docOf(i));
    const cheap = all.filter((d) => d.category === 'c7' && (d.price as number) < 100);
    expect(await c.count({ category: 'c7', price: { $lt: 100 } })).toBe(cheap.length);
    const expected = [...all.filter((d) => d.category === 'c7')].sort(
      (a, b) => (a.price as number) - (b.price as number) || (a._id < b._id ? -1 : 1),
    );
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const got: { items: Doc[]; nextCursor: string | null } = await c.findPage(
        { category: 'c7' },
        { sort: { price: 1 }, limit: 50, cursor },
      );
      expect(got.items.map((d) => d._id)).toEqual(expected.slice(page * 50, page * 50 + 50).map((d) => d._id));
      cursor = got.nextCursor;
    }
    expect((await c.findPage({ sku: 'sku-99999' })).items).toEqual([docOf(99_999)]);
    expect((await c.findByIds(['b5', 'b99998'])).map((d) => d._id)).toEqual(['b5', 'b99998']);
  });
});
