/**
 * The read-store contract: every adapter gives these answers (MongoDB semantics for the port's subset).
 * Collection and checkpoint names carry a random suffix, so the suite can share a server.
 */
import { randomBytes } from 'node:crypto';
import {
  CheckpointConflictError,
  DuplicateKeyError,
  InvalidCursorError,
  InvalidDocumentError,
  UnsupportedFilterError,
  type CollectionSpec,
  type Doc,
  type DocWrite,
  type Filter,
  type ReadStore,
  type Sort,
} from '../../application/ports/read-store.port.js';

export type OpenStore = () => Promise<{
  store: ReadStore;
  cleanup: () => Promise<void>;
  /** Another connection to the same store, as another process has (closed by the suite). */
  reopen: () => Promise<ReadStore>;
}>;

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
    let reopen: () => Promise<ReadStore>;
    const fill = async (collection: string, docs: Doc[]): Promise<void> =>
      store.commit({
        checkpoint: `fill_${uid()}`,
        expected: null,
        next: 1n,
        writes: docs.map((d) => put(collection, d)),
      });
    beforeAll(async () => {
      ({ store, cleanup, reopen } = await open());
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
        await expect(c.find({ n: { $regex: 'x' } } as unknown as Filter)).rejects.toThrow(UnsupportedFilterError);
        await expect(c.find({ $or: [] })).rejects.toThrow(UnsupportedFilterError);
        await expect(c.find({ tags: ['red'] } as unknown as Filter)).rejects.toThrow(UnsupportedFilterError);
        await expect(c.find({ n: { $eq: { $gt: 1 } } } as unknown as Filter)).rejects.toThrow(UnsupportedFilterError);
        await expect(c.find({ 'bad path!': 1 })).rejects.toThrow(UnsupportedFilterError);
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

    describe('what MongoDB decides, answered alike', () => {
      const EXTREMES: Array<[string, number]> = [
        ['x01', -1.7976931348623157e308],
        ['x02', -1e300],
        ['x03', -(2 ** 62)],
        ['x04', -1e-300],
        ['x05', 0],
        ['x06', 5e-324],
        ['x07', 1e-300],
        ['x08', 2.7649783735852517e-278],
        ['x09', 0.1],
        ['x10', 2 ** 53],
        ['x11', 2 ** 53 + 2],
        ['x12', 2 ** 60],
        ['x13', 2 ** 62],
        ['x14', 2 ** 63],
        ['x15', 12345678901234567000],
        ['x16', 4.5838770288395355e198],
        ['x17', 1e300],
        ['x18', 1.7976931348623157e308],
      ];

      it('numbers beyond 2^53 and extreme doubles round-trip and compare exactly, also across page cursors', async () => {
        const name = `num_${uid()}`;
        await store.ensureCollection({ name, indexes: [{ fields: { v: 1 } }] });
        await fill(
          name,
          EXTREMES.map(([id, v]) => ({ _id: id, v, nested: { v }, list: [v] })),
        );
        const c = store.collection(name);
        const ascending = EXTREMES.map(([id]) => id); // listed in ascending order of value
        for (const [id, v] of EXTREMES) {
          expect(await c.findById(id)).toEqual({ _id: id, v, nested: { v }, list: [v] });
          expect(ids(await c.find({ v }))).toEqual([id]);
          expect(ids(await c.find({ 'nested.v': v }))).toEqual([id]);
          expect(ids(await c.find({ list: v }))).toEqual([id]);
          const i = ascending.indexOf(id);
          expect(ids(await c.find({ v: { $gt: v } }, { sort: { v: 1 } }))).toEqual(ascending.slice(i + 1));
          expect(ids(await c.find({ v: { $lte: v } }, { sort: { v: 1 } }))).toEqual(ascending.slice(0, i + 1));
        }
        expect(ids(await c.find({ v: { $in: EXTREMES.map(([, v]) => v).slice(5, 9) } }))).toEqual(
          ascending.slice(5, 9),
        );
        expect(ids(await c.find({}, { sort: { v: 1 } }))).toEqual(ascending);
        expect(ids(await c.find({}, { sort: { v: -1 } }))).toEqual([...ascending].reverse());
        for (const dir of [1, -1] as const) {
          const walked: string[] = [];
          let cursor: string | null = null;
          for (let n = 0; n <= EXTREMES.length && (n === 0 || cursor); n++) {
            const page: { items: Doc[]; nextCursor: string | null } = await c.findPage(
              {},
              { sort: { v: dir }, limit: 1, cursor },
            );
            walked.push(...ids(page.items));
            cursor = page.nextCursor;
          }
          expect(walked).toEqual(dir === 1 ? ascending : [...ascending].reverse());
        }
      });

      it('refuses documents outside the JSON subset (bigint, NaN, Date, $-names...) alike, writing nothing', async () => {
        const name = `bad_${uid()}`;
        const c = store.collection(name);
        const refused: unknown[] = [
          { _id: 'b1', n: 2n ** 70n },
          { _id: 'b2', n: Number.NaN },
          { _id: 'b3', n: Number.POSITIVE_INFINITY },
          { _id: 'b4', at: new Date('2026-01-01T00:00:00Z') },
          { _id: 'b5', nested: { $gt: 1 } },
          { _id: 'b6', 'a.b': 1 },
          { _id: 'b7', list: [1, undefined, 3] },
          { _id: 'b8', deep: JSON.parse('['.repeat(101) + ']'.repeat(101)) as unknown },
          { _id: 42 },
          { _id: 'b9', 'nul\u0000': 1 },
        ];
        for (const doc of refused) {
          await expect(c.put(doc as Doc)).rejects.toBeInstanceOf(InvalidDocumentError);
          await expect(c.insertIfAbsent(doc as Doc)).rejects.toBeInstanceOf(InvalidDocumentError);
        }
        const cp = `cp_${uid()}`;
        const commit = store.commit({
          checkpoint: cp,
          expected: null,
          next: 1n,
          writes: [put(name, { _id: 'ok' }), { collection: name, id: 'b1', doc: refused[0] as Doc }],
        });
        await expect(commit).rejects.toBeInstanceOf(InvalidDocumentError);
        expect([await c.count(), await store.getCheckpoint(cp)]).toEqual([0, null]);
        // MongoDB takes no more than 100 levels of nesting: well below it is fine on both.
        const deep = JSON.parse('['.repeat(50) + ']'.repeat(50)) as unknown;
        await c.put({ _id: 'u', kept: 1, gone: undefined, deep });
        expect(await c.findById('u')).toEqual({ _id: 'u', kept: 1, deep });
      });

      it('declaring an index again with another `unique` replaces it (MongoDB kept or refused it)', async () => {
        const name = `ux_${uid()}`;
        const c = store.collection(name);
        const plain: CollectionSpec = { name, indexes: [{ fields: { code: 1 } }] };
        const unique: CollectionSpec = { name, indexes: [{ fields: { code: 1 }, unique: true }] };
        await store.ensureCollection(plain);
        await c.put({ _id: 'a', code: 'X' });
        await c.put({ _id: 'b', code: 'X' });
        await expect(store.ensureCollection(unique)).rejects.toBeInstanceOf(DuplicateKeyError);
        await c.put({ _id: 'c', code: 'X' }); // still not unique
        await c.delete('b');
        await c.delete('c');
        await store.ensureCollection(unique);
        await expect(c.put({ _id: 'd', code: 'X' })).rejects.toBeInstanceOf(DuplicateKeyError);
        await store.ensureCollection(plain);
        await c.put({ _id: 'd', code: 'X' }); // unique no more
        expect(ids(await c.find({ code: 'X' }, { sort: { _id: 1 } }))).toEqual(['a', 'd']);
        expect(ids((await c.findPage({ code: 'X' }, { sort: { code: 1 } })).items)).toEqual(['a', 'd']);
      });

      it('unique indexes take scalars only: an array or an object there is refused alike', async () => {
        const name = `uxa_${uid()}`;
        await store.ensureCollection({
          name,
          indexes: [
            { fields: { tag: 1 }, unique: true },
            { fields: { 'line.sku': 1 }, unique: true },
          ],
        });
        const c = store.collection(name);
        await c.put({ _id: 'a', tag: 'red', line: { sku: 'k1' } });
        await c.put({ _id: 'b' }); // missing is one null value...
        for (const doc of [
          { _id: 'c', tag: ['blue'] },
          { _id: 'c', tag: { colour: 'blue' } },
          { _id: 'c', tag: 'blue', line: [{ sku: 'k2' }] },
          { _id: 'c', tag: 'blue', line: { sku: ['k2'] } },
        ]) {
          await expect(c.put(doc)).rejects.toBeInstanceOf(InvalidDocumentError);
          const commit = store.commit({
            checkpoint: `cp_${uid()}`,
            expected: null,
            next: 1n,
            writes: [put(name, doc)],
          });
          await expect(commit).rejects.toBeInstanceOf(InvalidDocumentError);
        }
        await c.put({ _id: 'c', tag: 'blue', line: { sku: 'k2' }, other: ['fine', { x: 1 }] });
        expect(ids(await c.find({}, { sort: { _id: 1 } }))).toEqual(['a', 'b', 'c']);
      });

      it('answers an $in of 50,000 values and an $or of 2,000 branches; refuses larger filters with a typed error', async () => {
        const name = `big_${uid()}`;
        await fill(
          name,
          Array.from({ length: 300 }, (_, i) => ({
            _id: `d${String(i).padStart(3, '0')}`,
            n: i,
            s: `s${i}`,
            b: i % 2 === 0,
          })),
        );
        const c = store.collection(name);
        const wanted = Array.from({ length: 50_000 }, (_, i) => i * 3); // 0, 3, 6, ...: 100 of them match
        const found = ids(await c.find({ n: { $in: wanted } }, { sort: { n: 1 } }));
        expect(found).toHaveLength(100);
        expect(found[1]).toBe('d003');
        expect(await c.count({ n: { $nin: wanted } })).toBe(200);
        expect(await c.count({ s: { $in: Array.from({ length: 5_000 }, (_, i) => `s${i * 2}`) } })).toBe(150);
        expect(await c.count({ b: { $in: [true, ...Array.from({ length: 100 }, () => 'x')] } })).toBe(150);
        expect(
          await c.count({ _id: { $in: Array.from({ length: 1_000 }, (_, i) => `d${String(i).padStart(3, '0')}`) } }),
        ).toBe(300);
        const branches = Array.from({ length: 2_000 }, (_, i) => ({ n: i * 2 }));
        expect(await c.count({ $or: branches })).toBe(150);
        expect(await c.count({ $and: Array.from({ length: 2_000 }, () => ({ n: { $gte: 10 } })) })).toBe(290);
        const tooBig = [
          c.find({ n: { $in: Array.from({ length: 100_001 }, (_, i) => i) } }),
          c.find({ $or: Array.from({ length: 10_001 }, (_, i) => ({ n: i })) }),
          c.find(Array.from({ length: 33 }).reduce<Filter>((f) => ({ $and: [f] }), { n: 1 })),
        ];
        for (const attempt of tooBig) await expect(attempt).rejects.toBeInstanceOf(UnsupportedFilterError);
      });

      it('finds a NUL byte in $contains as any other character (MongoDB refused the pattern: a 500)', async () => {
        const name = `nul_${uid()}`;
        await fill(name, [
          { _id: 'a', s: 'before\u0000after' },
          { _id: 'b', s: 'before after' },
        ]);
        const c = store.collection(name);
        expect(ids(await c.find({ s: { $contains: '\u0000' } }))).toEqual(['a']);
        expect(ids(await c.find({ s: { $contains: 'E\u0000A' } }))).toEqual(['a']);
        expect(ids(await c.find({ s: { $contains: 'e a' } }))).toEqual(['b']);
        expect(ids(await c.find({ s: 'before\u0000after' }))).toEqual(['a']);
      });

      it('a promote that cannot complete changes nothing (it renamed collections one by one)', async () => {
        const [a, b] = [`pa_${uid()}`, `pb_${uid()}`];
        const [cp, shadowCp] = [`pcp_${uid()}`, `pcp_${uid()}__rebuild`];
        await store.commit({
          checkpoint: cp,
          expected: null,
          next: 5n,
          writes: [put(a, { _id: 'old-a' }), put(b, { _id: 'old-b' })],
        });
        await store.commit({
          checkpoint: shadowCp,
          expected: null,
          next: 9n,
          writes: [put(`${a}__rebuild`, { _id: 'new-a' })],
        });
        const failed = store.promote(
          [
            { from: `${a}__rebuild`, to: a },
            { from: `${b}__rebuild`, to: b }, // never written
          ],
          shadowCp,
          cp,
        );
        await expect(failed).rejects.toThrow();
        expect(ids(await store.collection(a).find({}))).toEqual(['old-a']);
        expect(ids(await store.collection(b).find({}))).toEqual(['old-b']);
        expect(ids(await store.collection(`${a}__rebuild`).find({}))).toEqual(['new-a']);
        expect([await store.getCheckpoint(cp), await store.getCheckpoint(shadowCp)]).toEqual([5n, 9n]);
      });

      it('after a promote, another process still committing from the old checkpoint is refused and writes nowhere', async () => {
        const live = `pl_${uid()}`;
        const shadow = `${live}__rebuild`;
        const [cp, shadowCp] = [`plc_${uid()}`, `plc_${uid()}__rebuild`];
        await store.commit({ checkpoint: cp, expected: null, next: 10n, writes: [put(live, { _id: 'o1', v: 1 })] });
        await store.commit({
          checkpoint: shadowCp,
          expected: null,
          next: 8n,
          writes: [put(shadow, { _id: 'r1', v: 1 })],
        });
        const other = await reopen();
        try {
          expect(await other.getCheckpoint(cp)).toBe(10n); // the other runner read it before the promote
          const readers = (async () => {
            const seen = new Set<string>();
            for (let i = 0; i < 30; i++) {
              const docs = ids(await other.collection(live).find({}, { sort: { _id: 1 } }));
              seen.add(docs.join(','));
            }
            return seen;
          })();
          await store.promote([{ from: shadow, to: live }], shadowCp, cp);
          const seen = await readers;
          expect([...seen].every((v) => v === 'o1' || v === 'r1')).toBe(true); // old or new, never a mix or nothing
          const stale = other.commit({
            checkpoint: cp,
            expected: 10n,
            next: 11n,
            writes: [put(live, { _id: 'late', v: 2 }), del(live, 'r1')],
          });
          await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
          expect(ids(await other.collection(live).find({}))).toEqual(['r1']);
          expect(await other.collection(shadow).count()).toBe(0);
          expect(await other.getCheckpoint(cp)).toBe(8n);
          await other.commit({ checkpoint: cp, expected: 8n, next: 11n, writes: [put(live, { _id: 'late', v: 2 })] });
          expect(ids(await store.collection(live).find({}, { sort: { _id: 1 } }))).toEqual(['late', 'r1']);
        } finally {
          await other.close();
        }
      });
    });
  });
}
