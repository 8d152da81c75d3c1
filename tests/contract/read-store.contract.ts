/**
 * The read-store contract: every adapter gives these answers (MongoDB semantics for the port's subset).
 * Collection and checkpoint names carry a random suffix, so the suite can share a server.
 */
import { randomBytes } from 'node:crypto';
import {
  CheckpointConflictError,
  DuplicateKeyError,
  InvalidCursorError,
  type CollectionSpec,
  type Doc,
  type DocWrite,
  type Filter,
  type ReadStore,
  type Sort,
} from '../../application/ports/read-store.port.js';

export type OpenStore = () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>;

const uid = (): string => randomBytes(4).toString('hex');
const ids = (docs: Doc[]): string[] => docs.map((d) => d._id);
const put = (collection: string, doc: Doc): DocWrite => ({ collection, id: doc._id, doc });
const del = (collection: string, id: string): DocWrite => ({ collection, id, doc: null });

function get(doc: Doc, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
}
/** MongoDB's order for the types used: null/missing < numbers < strings (UTF-8 bytes) < false < true. */
function compare(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v == null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
  return a == null ? 0 : Number(a) - Number(b);
}
/** Expected order: the sort keys, then `_id` in the direction of the first key. */
function sorted(docs: Doc[], sort: Sort): Doc[] {
  const keys = Object.entries(sort);
  keys.push(['_id', keys[0]?.[1] ?? 1]);
  return [...docs].sort((x, y) => keys.reduce((c, [k, d]) => c || compare(get(x, k), get(y, k)) * d, 0));
}

const OPS: Doc[] = [
  {
    _id: 'a',
    n: 1,
    s: 'apple',
    b: true,
    tags: ['red', 'green'],
    nums: [1, 5],
    meta: { level: 2, name: 'Alpha' },
    nul: null,
  },
  { _id: 'b', n: 2.5, s: 'Banana', b: false, tags: ['blue'], nums: [10], meta: { level: 5 } },
  { _id: 'c', n: '3', s: 'cherry', tags: [], nums: [1, 10], meta: { level: '5' }, nul: 1 },
  { _id: 'd', n: null, s: 'Ünïcødé 🍒', b: 1, tags: 'red', nums: [], meta: { name: 'delta' } },
  { _id: 'e', s: 'a.b*c (x)', b: 'true', arr: [null, 3], meta: { level: 7, deep: { x: 'y' } } },
  {
    _id: 'f',
    n: 10,
    s: '',
    items: [
      { sku: 'k1', qty: 2 },
      { sku: 'K2', qty: 5 },
    ],
  },
];
const CASES: Array<[Filter, string]> = [
  [{}, 'abcdef'],
  [{ n: 1 }, 'a'],
  [{ n: '3' }, 'c'],
  [{ n: 3 }, ''],
  [{ n: null }, 'de'],
  [{ n: { $eq: 2.5 } }, 'b'],
  [{ n: { $ne: null } }, 'abcf'],
  [{ n: { $ne: 1 } }, 'bcdef'],
  [{ n: { $gt: 1 } }, 'bf'],
  [{ n: { $gte: 1 } }, 'abf'],
  [{ n: { $lt: 10 } }, 'ab'],
  [{ n: { $lte: 2.5 } }, 'ab'],
  [{ n: { $gt: 1, $lt: 10 } }, 'b'],
  [{ n: { $gt: '2' } }, 'c'],
  [{ n: { $lt: '4' } }, 'c'],
  [{ n: { $gte: null } }, 'de'],
  [{ n: { $gt: null } }, ''],
  [{ n: { $in: [1, '3', null] } }, 'acde'],
  [{ n: { $in: [] } }, ''],
  [{ n: { $nin: [1, null] } }, 'bcf'],
  [{ n: { $exists: true } }, 'abcdf'],
  [{ n: { $exists: false } }, 'e'],
  [{ b: true }, 'a'],
  [{ b: false }, 'b'],
  [{ b: 1 }, 'd'],
  [{ b: 'true' }, 'e'],
  [{ b: { $ne: true } }, 'bcdef'],
  [{ b: { $in: [true, 1] } }, 'ad'],
  [{ b: { $gt: false } }, 'a'],
  [{ b: { $lt: true } }, 'b'],
  [{ b: { $gte: 0 } }, 'd'],
  [{ tags: 'red' }, 'ad'],
  [{ tags: { $in: ['blue', 'green'] } }, 'ab'],
  [{ tags: { $ne: 'red' } }, 'bcef'],
  [{ tags: { $nin: ['red', 'blue'] } }, 'cef'],
  [{ tags: { $exists: true } }, 'abcd'],
  [{ nums: 1 }, 'ac'],
  [{ nums: { $gt: 4 } }, 'abc'],
  [{ nums: { $gt: 4, $lt: 6 } }, 'ac'],
  [{ nums: { $gt: 6, $lt: 2 } }, 'c'],
  [{ arr: 3 }, 'e'],
  [{ arr: null }, 'abcdef'],
  [{ arr: { $ne: null } }, ''],
  [{ nul: null }, 'abdef'],
  [{ nul: { $exists: true } }, 'ac'],
  [{ s: { $contains: 'AN' } }, 'b'],
  [{ s: { $contains: 'a.b*c (' } }, 'e'],
  [{ s: { $contains: 'a.c' } }, ''],
  [{ s: { $contains: '🍒' } }, 'd'],
  [{ s: { $contains: '' } }, 'abcdef'],
  [{ s: 'Ünïcødé 🍒' }, 'd'],
  [{ tags: { $contains: 'RE' } }, 'ad'],
  [{ n: { $contains: '3' } }, 'c'],
  [{ 'meta.level': 5 }, 'b'],
  [{ 'meta.level': { $gt: 1 } }, 'abe'],
  [{ 'meta.name': { $exists: false } }, 'bcef'],
  [{ 'meta.deep.x': 'y' }, 'e'],
  [{ 'meta.deep': null }, 'abcdf'],
  [{ 'items.sku': 'K2' }, 'f'],
  [{ 'items.qty': { $gte: 5 } }, 'f'],
  [{ 'items.qty': { $gte: 6 } }, ''],
  [{ 'items.sku': { $contains: 'k' } }, 'f'],
  [{ 'items.sku': { $ne: 'k1' } }, 'abcde'],
  [{ $or: [{ n: 1 }, { s: 'cherry' }] }, 'ac'],
  [{ $and: [{ 'meta.level': { $gte: 2 } }, { $or: [{ b: true }, { b: false }] }] }, 'ab'],
  [{ s: { $ne: 'apple' }, $or: [{ tags: 'red' }, { n: 10 }] }, 'df'],
  [{ _id: 'c' }, 'c'],
  [{ _id: { $in: ['a', 'f', 'zz'] } }, 'af'],
  [{ _id: { $gt: 'd' } }, 'ef'],
  [{ _id: { $ne: 'a' } }, 'bcdef'],
  [{ _id: 3 }, ''],
];

const MIXED: Doc[] = [
  { _id: 's01', v: 3 },
  { _id: 's02', v: 'b' },
  { _id: 's03' },
  { _id: 's04', v: null },
  { _id: 's05', v: -1.5 },
  { _id: 's06', v: true },
  { _id: 's07', v: 'B' },
  { _id: 's08', v: false },
  { _id: 's09', v: 3 },
  { _id: 's10', v: 'é' },
  { _id: 's11', v: 'z' },
  { _id: 's12', v: 'ü' },
  { _id: 's13', v: '日本' },
];
const MIXED_ASC = ['s03', 's04', 's05', 's01', 's09', 's07', 's02', 's11', 's10', 's12', 's13', 's08', 's06'];

const CATS = ['tools', 'garden', 'party'];
const PRODUCTS: Doc[] = Array.from({ length: 57 }, (_, i) => ({
  _id: `p${String((i * 37) % 101).padStart(3, '0')}`,
  cat: CATS[i % 3],
  name: i % 5 === 0 ? `Ärger ${i % 4}` : `item ${(i * 7) % 19}`,
  ...(i % 7 === 0 ? {} : { price: i % 11 === 0 ? null : (i * 13) % 10 }),
}));
const VIEWS: Array<[Filter, (d: Doc) => boolean]> = [
  [{}, () => true],
  [{ cat: 'garden' }, (d) => d.cat === 'garden'],
  [{ price: { $gte: 3 } }, (d) => typeof d.price === 'number' && d.price >= 3],
];
const SORTS: Sort[] = [
  {},
  { price: 1 },
  { price: -1 },
  { cat: 1, price: -1 },
  { cat: -1, name: 1, price: 1 },
  { name: 1 },
];

export function readStoreContract(name: string, open: OpenStore): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    let cleanup: () => Promise<void>;
    const fill = async (collection: string, docs: Doc[]): Promise<void> =>
      store.commit({
        checkpoint: `fill_${uid()}`,
        expected: null,
        next: 1n,
        writes: docs.map((d) => put(collection, d)),
      });
    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(async () => cleanup());

    describe('filters', () => {
      const ops = `ops_${uid()}`;
      beforeAll(async () => fill(ops, OPS));
      it.each(CASES)('find(%j)', async (filter, expected) => {
        expect(ids(await store.collection(ops).find(filter))).toEqual(expected.split(''));
        expect(await store.collection(ops).count(filter)).toBe(expected.length);
      });
      it('rejects what it does not support', async () => {
        const c = store.collection(ops);
        await expect(c.find({ n: { $regex: 'x' } } as unknown as Filter)).rejects.toThrow();
        await expect(c.find({ $or: [] })).rejects.toThrow();
        await expect(c.find({ tags: ['red'] } as unknown as Filter)).rejects.toThrow();
        await expect(c.find({ 'bad path!': 1 })).rejects.toThrow();
        expect(() => store.collection('bad name; drop')).toThrow();
        expect(() => store.collection('_checkpoints')).toThrow();
      });
    });

    describe('sort and pages', () => {
      const products = `products_${uid()}`;
      beforeAll(async () => {
        await store.ensureCollection({
          name: products,
          indexes: [{ fields: { cat: 1, price: 1 } }, { fields: { price: -1 } }],
        });
        await fill(products, PRODUCTS);
      });
      it('orders types as MongoDB: null/missing < numbers < strings < false < true, ties by _id', async () => {
        const mixed = `mixed_${uid()}`;
        await fill(mixed, MIXED);
        expect(ids(sorted(MIXED, { v: 1 }))).toEqual(MIXED_ASC);
        expect(ids(await store.collection(mixed).find({}, { sort: { v: 1 } }))).toEqual(MIXED_ASC);
        expect(ids(await store.collection(mixed).find({}, { sort: { v: -1 } }))).toEqual([...MIXED_ASC].reverse());
        const pages: string[] = [];
        for (let cursor: string | null = null, n = 0; n === 0 || cursor; n++) {
          const page = await store.collection(mixed).findPage({}, { sort: { v: 1 }, limit: 2, cursor });
          pages.push(...ids(page.items));
          cursor = page.nextCursor;
        }
        expect(pages).toEqual(MIXED_ASC);
      });
      it.each(SORTS.flatMap((sort) => VIEWS.map(([filter, keep]) => [sort, filter, keep] as const)))(
        'find and walk findPage, sort %j filter %j',
        async (sort, filter, keep) => {
          const expected = ids(sorted(PRODUCTS.filter(keep), sort));
          const c = store.collection(products);
          expect(ids(await c.find(filter, { sort }))).toEqual(expected);
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await c.findPage(filter, { sort, limit: 7, cursor });
            expect(page.items.length).toBeLessThanOrEqual(7);
            seen.push(...ids(page.items));
            cursor = page.nextCursor;
          } while (cursor);
          expect(seen).toEqual(expected);
          expect(await c.count(filter)).toBe(expected.length);
        },
      );
      it('pages: default and maximum limits, exact last page, limits and cursors checked', async () => {
        const c = store.collection(products);
        expect((await c.findPage({})).items).toHaveLength(20);
        const garden = await c.findPage({ cat: 'garden' }, { limit: 19 });
        expect([garden.items.length, garden.nextCursor]).toEqual([19, null]);
        expect((await c.findPage({}, { limit: 1000 })).items).toHaveLength(57);
        for (const limit of [0, 1001, 2.5]) await expect(c.findPage({}, { limit })).rejects.toThrow();
        const first = await c.findPage({}, { sort: { price: 1 }, limit: 5 });
        expect((await c.findPage({}, { sort: { price: 1 }, limit: 5, cursor: first.nextCursor })).items).toHaveLength(
          5,
        );
        const forged = (body: unknown) => Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
        const genuine = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as {
          l: string;
          k: string[];
          v: unknown[];
        };
        const refused = [
          c.findPage({}, { sort: { name: 1 }, cursor: first.nextCursor }), // another sort
          c.findPage({ cat: 'garden' }, { sort: { price: 1 }, cursor: first.nextCursor }), // another filter
          store.collection(`other_${uid()}`).findPage({}, { sort: { price: 1 }, cursor: first.nextCursor }), // another collection
          c.findPage({}, { cursor: 'not-a-cursor' }),
          c.findPage({}, { sort: { price: 1 }, cursor: forged({ ...genuine, v: [{ $gt: 1 }, 'x'] }) }), // values that are not scalars
          c.findPage({}, { sort: { price: 1 }, cursor: forged({ ...genuine, v: [1] }) }), // too few values
          c.findPage({}, { sort: { price: 1 }, cursor: forged(null) }),
        ];
        for (const attempt of refused) await expect(attempt).rejects.toBeInstanceOf(InvalidCursorError);
        expect(ids(await c.find({}, { sort: { price: -1 }, limit: 3 }))).toEqual(
          ids(sorted(PRODUCTS, { price: -1 })).slice(0, 3),
        );
        expect((await c.findOne({ cat: 'party' }))?._id).toBe(
          ids(
            sorted(
              PRODUCTS.filter((d) => d.cat === 'party'),
              {},
            ),
          )[0],
        );
        expect(await c.findOne({ cat: 'none' })).toBeNull();
        const [x, y] = [PRODUCTS[5]._id, PRODUCTS[1]._id];
        expect(ids(await c.findByIds([x, 'nope', y, x]))).toEqual([x, y]);
        expect(await c.findByIds([])).toEqual([]);
      });
      it('keyset pages stay exact with inserts between pages', async () => {
        const coll = `live_${uid()}`;
        await store.ensureCollection({ name: coll, indexes: [{ fields: { price: 1 } }] });
        await fill(coll, PRODUCTS);
        const c = store.collection(coll);
        const first = await c.findPage({}, { sort: { price: 1 }, limit: 5 });
        await c.put({ _id: 'a-early' }); // sorts before the cursor (null price, smaller _id)
        await c.put({ _id: 'late', price: 1000 });
        const rest: string[] = [];
        for (let cursor = first.nextCursor; cursor;) {
          const page = await c.findPage({}, { sort: { price: 1 }, limit: 6, cursor });
          rest.push(...ids(page.items));
          cursor = page.nextCursor;
        }
        expect([...ids(first.items), ...rest]).toEqual([...ids(sorted(PRODUCTS, { price: 1 })), 'late']);
      });
    });

    describe('writes', () => {
      it('put replaces, insertIfAbsent inserts once, delete removes; unknown collections read empty', async () => {
        const c = store.collection(`docs_${uid()}`);
        expect([await c.count(), await c.findById('x'), (await c.findPage({})).items]).toEqual([0, null, []]);
        const doc = { _id: 'x', text: 'שלום 👋 Grüße', nested: { list: [1, 'two', null, { three: true }] } };
        await c.put(doc);
        expect(await c.findById('x')).toEqual(doc);
        await c.put({ _id: 'x', text: 'replaced' });
        expect(await c.findById('x')).toEqual({ _id: 'x', text: 'replaced' });
        expect(await c.insertIfAbsent({ _id: 'y', v: 1 })).toBe(true);
        expect(await c.insertIfAbsent({ _id: 'y', v: 2 })).toBe(false);
        expect(await c.findById('y')).toEqual({ _id: 'y', v: 1 });
        await c.delete('x');
        await c.delete('never');
        expect(ids(await c.find({}))).toEqual(['y']);
      });
      it('unique indexes reject duplicates (missing counts as one null value)', async () => {
        const name = `uq_${uid()}`;
        const spec: CollectionSpec = { name, indexes: [{ fields: { email: 1 }, unique: true }] };
        await store.ensureCollection(spec);
        await store.ensureCollection(spec);
        const c = store.collection(name);
        await c.put({ _id: 'u1', email: 'a@x' });
        await expect(c.put({ _id: 'u2', email: 'a@x' })).rejects.toBeInstanceOf(DuplicateKeyError);
        await c.put({ _id: 'u1', email: 'a@x', again: true });
        await c.put({ _id: 'u2', email: 'b@x' });
        await expect(c.insertIfAbsent({ _id: 'u5', email: 'b@x' })).rejects.toBeInstanceOf(DuplicateKeyError);
        await c.put({ _id: 'u3' });
        await expect(c.put({ _id: 'u4' })).rejects.toBeInstanceOf(DuplicateKeyError);
        const cp = `cp_${uid()}`;
        const dup = store.commit({
          checkpoint: cp,
          expected: null,
          next: 1n,
          writes: [put(name, { _id: 'u6', email: 'c@x' }), put(name, { _id: 'u7', email: 'a@x' })],
        });
        await expect(dup).rejects.toBeInstanceOf(DuplicateKeyError);
        expect([ids(await c.find({})), await store.getCheckpoint(cp)]).toEqual([['u1', 'u2', 'u3'], null]);
      });
      it('commit is an atomic compare-and-set of the checkpoint with the writes', async () => {
        const name = `cm_${uid()}`; // never ensured: commit creates it
        const cp = `cp_${uid()}`;
        const c = store.collection(name);
        expect(await store.getCheckpoint(cp)).toBeNull();
        await store.commit({
          checkpoint: cp,
          expected: null,
          next: 1n,
          writes: [put(name, { _id: 'x', v: 1 }), put(name, { _id: 'y', v: 1 }), put(name, { _id: 'x', v: 2 })],
        });
        expect([await store.getCheckpoint(cp), await c.findById('x')]).toEqual([1n, { _id: 'x', v: 2 }]);
        const conflict = await store
          .commit({ checkpoint: cp, expected: null, next: 2n, writes: [put(name, { _id: 'z' }), del(name, 'x')] })
          .catch((e: unknown) => e);
        expect(conflict).toBeInstanceOf(CheckpointConflictError);
        expect([(conflict as CheckpointConflictError).expected, (conflict as CheckpointConflictError).actual]).toEqual([
          null,
          1n,
        ]);
        await expect(
          store.commit({ checkpoint: cp, expected: 7n, next: 8n, writes: [put(name, { _id: 'z' })] }),
        ).rejects.toBeInstanceOf(CheckpointConflictError);
        expect([ids(await c.find({})), await store.getCheckpoint(cp)]).toEqual([['x', 'y'], 1n]);
        await store.commit({ checkpoint: cp, expected: 1n, next: 2n, writes: [del(name, 'x'), del(name, 'missing')] });
        expect(ids(await c.find({}))).toEqual(['y']);
        const big = 2n ** 60n + 7n;
        const huge = 10n ** 30n + 1n;
        await store.commit({ checkpoint: cp, expected: 2n, next: big, writes: [] });
        expect(await store.getCheckpoint(cp)).toBe(big);
        await store.commit({ checkpoint: cp, expected: big, next: huge, writes: [] });
        expect(await store.getCheckpoint(cp)).toBe(huge);
        await store.deleteCheckpoint(cp);
        expect(await store.getCheckpoint(cp)).toBeNull();
        await store.commit({ checkpoint: cp, expected: null, next: 1n, writes: [] });
        await store.ping();
      });
      it('promote swaps rebuilt collections in with their checkpoint, cycle after cycle', async () => {
        const live = `prod_${uid()}`;
        const other = `other_${uid()}`;
        const [shadow, otherShadow] = [`${live}__rebuild`, `${other}__rebuild`];
        const [cp, shadowCp] = [`proj_${uid()}`, `proj_${uid()}__rebuild`];
        const spec = (name: string): CollectionSpec => ({
          name,
          indexes: [{ fields: { sku: 1 }, unique: true }, { fields: { cat: 1, price: 1 } }],
        });
        await store.ensureCollection(spec(live));
        await store.commit({
          checkpoint: cp,
          expected: null,
          next: 5n,
          writes: ['o1', 'o2', 'o3'].map((id) => put(live, { _id: id, sku: id })),
        });
        for (const round of [1n, 2n]) {
          await store.ensureCollection(spec(shadow));
          const docs = [
            { _id: `r${round}a`, sku: 'A', cat: 'x', price: 2 },
            { _id: `r${round}b`, sku: 'B', cat: 'x', price: 1 },
          ];
          const writes = [...docs.map((d) => put(shadow, d)), put(otherShadow, { _id: `q${round}` })];
          await store.commit({ checkpoint: shadowCp, expected: null, next: 100n * round, writes });
          await expect(store.collection(shadow).put({ _id: 'dup', sku: 'A' })).rejects.toBeInstanceOf(
            DuplicateKeyError,
          );
          expect(await store.collection(live).count()).toBe(round === 1n ? 3 : 2);
          await store.promote(
            [
              { from: shadow, to: live },
              { from: otherShadow, to: other },
            ],
            shadowCp,
            cp,
          );
          const c = store.collection(live);
          expect(ids(await c.find({}))).toEqual([`r${round}a`, `r${round}b`]);
          expect(await c.findById('o1')).toBeNull();
          expect(ids(await store.collection(other).find({}))).toEqual([`q${round}`]);
          expect([await store.getCheckpoint(cp), await store.getCheckpoint(shadowCp)]).toEqual([100n * round, null]);
          expect(await store.collection(shadow).count()).toBe(0);
          expect(ids((await c.findPage({ cat: 'x' }, { sort: { price: 1 } })).items)).toEqual([
            `r${round}b`,
            `r${round}a`,
          ]);
          await expect(c.put({ _id: 'dup', sku: 'B' })).rejects.toBeInstanceOf(DuplicateKeyError);
          await store.commit({ checkpoint: cp, expected: 100n * round, next: 100n * round + 1n, writes: [] });
        }
        await store.dropCollection(live);
        await store.dropCollection(live);
        expect(await store.collection(live).count()).toBe(0);
      });
    });
  });
}
