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

  it('finds documents by an element of an array field through its one-field index (multikey), kept on every write', async () => {
    const name = 'tagged';
    const c = store.collection(name);
    // Documents first, the index after: ensureCollection fills the multikey table from them.
    await store.commit({
      checkpoint: name,
      expected: null,
      next: 1n,
      writes: [
        { collection: name, id: 't1', doc: { _id: 't1', at: '2026-01-01', tags: ['a', 'b', 1, true, null, ['x']] } },
        { collection: name, id: 't2', doc: { _id: 't2', at: '2026-01-02', tags: 'a' } },
        { collection: name, id: 't3', doc: { _id: 't3', at: '2026-01-03', tags: ['c', 2.5] } },
      ],
    });
    await store.ensureCollection({ name, indexes: [{ fields: { tags: 1 } }, { fields: { at: -1 } }] });
    const ids = async (filter: Record<string, unknown>) =>
      (await c.findPage(filter as never, { sort: { at: -1 } })).items.map((d) => d._id);
    expect(await ids({ tags: 'a' })).toEqual(['t2', 't1']);
    expect(await ids({ tags: { $eq: 'b' } })).toEqual(['t1']);
    expect(await ids({ tags: 1 })).toEqual(['t1']);
    expect(await ids({ tags: true })).toEqual(['t1']);
    expect(await ids({ tags: 2.5 })).toEqual(['t3']);
    expect(await ids({ tags: 'x' })).toEqual([]);
    expect(await ids({ tags: null })).toEqual(['t1']);
    expect(await ids({ tags: 'nothing' })).toEqual([]);
    expect(await c.count({ tags: 'a' })).toBe(2);
    // The plan reads the multikey table and the expression index, never every document.
    const plan = store.explain(name, { tags: 'nothing' }, { at: -1 }).join('\n');
    expect(plan).toMatch(/_mk_/);
    expect(plan).not.toMatch(/SCAN tagged/);
    // Writes keep it: an array changed, an array turned scalar, a delete, put / insertIfAbsent / delete.
    await store.commit({
      checkpoint: name,
      expected: 1n,
      next: 2n,
      writes: [
        { collection: name, id: 't1', doc: { _id: 't1', at: '2026-01-01', tags: ['b'] } },
        { collection: name, id: 't3', doc: { _id: 't3', at: '2026-01-03', tags: 'c' } },
        { collection: name, id: 't2', doc: null },
      ],
    });
    expect(await ids({ tags: 'a' })).toEqual([]);
    expect(await ids({ tags: 'b' })).toEqual(['t1']);
    expect(await ids({ tags: 'c' })).toEqual(['t3']);
    expect(await ids({ tags: 2.5 })).toEqual([]);
    await c.put({ _id: 't4', at: '2026-01-04', tags: ['b', 'd'] });
    expect(await c.insertIfAbsent({ _id: 't4', at: '2026-01-04', tags: ['e'] })).toBe(false);
    expect(await ids({ tags: 'b' })).toEqual(['t4', 't1']);
    expect(await ids({ tags: 'e' })).toEqual([]);
    await c.delete('t4');
    expect(await ids({ tags: 'd' })).toEqual([]);
    // A rebuild's collection promoted over it brings its own table.
    await store.ensureCollection({ name: 'tagged__rebuild', indexes: [{ fields: { tags: 1 } }] });
    await store.commit({
      checkpoint: 'tagged__rebuild',
      expected: null,
      next: 1n,
      writes: [{ collection: 'tagged__rebuild', id: 'r1', doc: { _id: 'r1', at: '2026-02-01', tags: ['z', 'b'] } }],
    });
    await store.promote([{ from: 'tagged__rebuild', to: name }], 'tagged__rebuild', name);
    expect(await ids({ tags: 'b' })).toEqual(['r1']);
    expect(await ids({ tags: 'z' })).toEqual(['r1']);
    expect(store.explain(name, { tags: 'q' }, { at: -1 }).join('\n')).toMatch(/_mk_/);
    await store.dropCollection(name);
    expect(await ids({ tags: 'z' })).toEqual([]);
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
