/**
 * Filter, sort and keyset-cursor translation to SQLite SQL over JSON documents (`doc` column).
 *
 * Every field is read through one "key" expression, the same in WHERE, ORDER BY and the expression
 * indexes, so the planner can use the indexes:
 *   CASE json_type(doc,'$.p') WHEN 'object' THEN X'00' WHEN 'array' THEN X'01'
 *     WHEN 'false' THEN X'02' WHEN 'true' THEN X'03'
 *     WHEN 'integer' THEN CAST(json_extract(doc,'$.p') AS REAL) WHEN 'real' THEN rl_num(doc -> '$.p')
 *     ELSE json_extract(doc,'$.p') END
 * SQLite orders NULL < numbers < text < blobs, which gives MongoDB's order: null/missing < numbers <
 * strings < objects < arrays < false < true; type classes never mix in comparisons (each range is
 * bounded to its class, as MongoDB's type bracketing does).
 *
 * Numbers are compared as the doubles they are, as MongoDB compares them: SQLite's own text-to-real
 * conversion is not correctly rounded (measured on 3.51.2: json_extract reads 1e-300 as
 * 9.999999999999999e-301, and about one random double in six one unit off), and it reads integer text
 * such as 4611686018427388000 (2^62, as JavaScript writes it) as an INTEGER unequal to the double bound
 * for 2^62. So integers are cast to REAL (exact: int64 to double rounds correctly) and other numbers are
 * read from their JSON text by JavaScript (`rl_num`, exact); parameters are bound as doubles.
 *
 * Arrays: a field holding an array matches when any element does (also through arrays of objects
 * on dotted paths). The store records, per collection, which paths ever held an array; only those
 * paths get the `json_each` branches, so scalar paths stay plain, index-friendly comparisons.
 */
import {
  UnsupportedFilterError,
  type Filter,
  type IndexSpec,
  type Scalar,
} from '../../application/ports/read-store.port.js';
import { checkFilterSize, escapeRegex, isOperatorObject, isScalar, splitPath, type SortKey } from './cursor.js';

const KEY_CASES = "WHEN 'object' THEN X'00' WHEN 'array' THEN X'01' WHEN 'false' THEN X'02' WHEN 'true' THEN X'03'";
const bool = (v: boolean): string => (v ? "X'03'" : "X'02'");
/** Segments are validated by splitPath ([A-Za-z0-9_]), so the path is a safe SQL literal. */
const jsonPath = (segments: readonly string[]): string => `'$.${segments.join('.')}'`;
/** Bump when the key expression changes: indexes are named with it, and ensureCollection rebuilds older ones. */
export const KEY_VERSION = 'k2';

export function keyOf(root: string, segments: readonly string[]): string {
  const p = jsonPath(segments);
  return (
    `CASE json_type(${root}, ${p}) ${KEY_CASES} ` +
    `WHEN 'integer' THEN CAST(json_extract(${root}, ${p}) AS REAL) WHEN 'real' THEN rl_num(${root} -> ${p}) ` +
    `ELSE json_extract(${root}, ${p}) END`
  );
}

/** The key of a `json_each(root, ...) AS j` element (`j.fullkey` is relative to `root`). */
export const elementKey = (j: string, root: string): string =>
  `CASE ${j}.type ${KEY_CASES} WHEN 'integer' THEN CAST(${j}.value AS REAL) ` +
  `WHEN 'real' THEN rl_num(${root} -> ${j}.fullkey) ELSE ${j}.value END`;

/** `rl_num`: a JSON number's text as the exact double (JavaScript's conversion is correctly rounded). */
export function numberFunction(text: unknown): number | null {
  return typeof text === 'string' ? Number(text) : null;
}

/** Lists longer than this are bound as one JSON array and read with json_each (SQLite binds at most 32,766 parameters). */
const INLINE_LIST = 64;

/** The key expression of a top-level path (`_id` is the `id` column). */
export function pathKey(path: string): string {
  return path === '_id' ? 'id' : keyOf('doc', splitPath(path));
}

/** The SQL value a JSON value has as a key (booleans, objects and arrays become the key's blobs). */
export function keyValue(value: unknown): number | string | Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return Buffer.from([value ? 3 : 2]);
  return Buffer.from([Array.isArray(value) ? 1 : 0]);
}

/** Named parameters (`@p0`...), so one value can be used by several branches. */
export class Params {
  readonly values: Record<string, unknown> = {};
  private n = 0;
  add(value: unknown): string {
    const name = `p${this.n++}`;
    this.values[name] = value;
    return `@${name}`;
  }
}

/** A condition on one value, given its key expression and its JSON type expression. */
type Leaf = (key: string, type: string) => string;
const never: Leaf = () => '0';
const COMPARE: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

export interface FilterSql {
  where: string;
  /** Paths held equal to one scalar by the filter: sorting on them changes nothing. */
  pinned: Set<string>;
}

/**
 * `multikey`: the collection's multikey tables (sqlite.multikey.ts), field path -> table; an equality on
 * a top-level field that held arrays reads its table instead of walking every document's array.
 */
export function filterSql(
  filter: Filter,
  arrays: ReadonlySet<string>,
  params: Params,
  multikey: ReadonlyMap<string, string> = new Map(),
): FilterSql {
  checkFilterSize(filter);
  const t = new Translator(arrays, params, multikey);
  return { where: t.filter(filter, true), pinned: t.pinned };
}

class Translator {
  readonly pinned = new Set<string>();
  private aliases = 0;
  constructor(
    private readonly arrays: ReadonlySet<string>,
    private readonly params: Params,
    private readonly multikey: ReadonlyMap<string, string>,
  ) {}

  filter(filter: Filter, top: boolean): string {
    if (!isOperatorObject(filter)) throw new UnsupportedFilterError('A filter must be an object');
    const parts: string[] = [];
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined) continue;
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value) || value.length === 0)
          throw new UnsupportedFilterError(`${key} needs a non-empty array of filters`);
        const subs = value.map((sub) => this.filter(sub as Filter, top && key === '$and'));
        parts.push(balanced(subs, key === '$and' ? 'AND' : 'OR'));
      } else if (key.startsWith('$')) {
        throw new UnsupportedFilterError(`Unsupported filter operator ${key}`);
      } else {
        parts.push(this.field(key, value, top));
      }
    }
    return parts.length > 0 ? parts.join(' AND ') : '1';
  }

  private field(path: string, value: unknown, top: boolean): string {
    const isId = path === '_id';
    const segments = isId ? [] : splitPath(path);
    const on = (leaf: Leaf): string => (isId ? leaf('id', "'text'") : this.cond('doc', segments, [], leaf));
    const not = (leaf: Leaf): string => `NOT IFNULL(${on(leaf)}, 0)`;
    if (!isOperatorObject(value)) {
      if (top && value !== null && isScalar(value) && !this.crossesArray(segments)) this.pinned.add(path);
      return this.multikeyEq(path, checkScalar(path, value)) ?? on(this.eq(path, checkScalar(path, value), isId));
    }
    const parts: string[] = [];
    for (const [op, operand] of Object.entries(value)) {
      if (operand === undefined) continue;
      switch (op) {
        case '$eq':
          parts.push(
            this.multikeyEq(path, checkScalar(path, operand)) ?? on(this.eq(path, checkScalar(path, operand), isId)),
          );
          break;
        case '$ne':
          parts.push(not(this.eq(path, checkScalar(path, operand), isId)));
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          parts.push(on(this.compare(op, checkScalar(path, operand), isId)));
          break;
        case '$in':
        case '$nin': {
          if (!Array.isArray(operand)) throw new UnsupportedFilterError(`${op} on ${path} needs an array`);
          const leaf = this.in(
            operand.map((v) => checkScalar(path, v)),
            isId,
          );
          parts.push(op === '$in' ? on(leaf) : not(leaf));
          break;
        }
        case '$exists': {
          const leaf: Leaf = (_key, type) => `${type} IS NOT NULL`;
          parts.push(operand ? on(leaf) : not(leaf));
          break;
        }
        case '$contains': {
          if (typeof operand !== 'string') throw new UnsupportedFilterError(`$contains on ${path} needs a string`);
          const p = this.params.add(operand);
          parts.push(on((key) => `rl_contains(${key}, ${p})`));
          break;
        }
        default:
          throw new UnsupportedFilterError(`Unsupported operator ${op} on ${path}`);
      }
    }
    return parts.length > 0 ? `(${parts.join(' AND ')})` : '1';
  }

  /**
   * Equality with a scalar on a top-level field that held arrays and has a multikey table: the field's
   * own key (a scalar value; an array's key is a blob no scalar equals) or one of its array's elements.
   * Null keeps the general translation (it also matches a missing field).
   */
  private multikeyEq(path: string, v: Scalar): string | null {
    const table = this.multikey.get(path);
    if (table === undefined || v === null || !this.arrays.has(path)) return null;
    const p = typeof v === 'boolean' ? bool(v) : this.params.add(v);
    return `(${keyOf('doc', [path])} = ${p} OR id IN (SELECT id FROM "${table}" WHERE k = ${p}))`;
  }

  private eq(path: string, v: Scalar, isId: boolean): Leaf {
    if (isId && typeof v !== 'string') return never;
    if (v === null) return (key) => `${key} IS NULL`;
    if (typeof v === 'boolean') return (key) => `${key} = ${bool(v)}`;
    const p = this.params.add(v);
    return (key) => `${key} = ${p}`;
  }

  private in(values: Scalar[], isId: boolean): Leaf {
    const kept = isId ? values.filter((v) => typeof v === 'string') : values;
    const present = kept.filter((v) => v !== null);
    const withNull = kept.includes(null);
    let list: string | null = null;
    if (present.length > INLINE_LIST) {
      // One parameter, read as a set (keys made as the documents' are): any length, one statement.
      const p = this.params.add(JSON.stringify(present));
      const j = `jin${this.aliases++}`;
      list = `SELECT ${isId ? `${j}.value` : elementKey(j, p)} FROM json_each(${p}) AS ${j}`;
    } else if (present.length > 0) {
      list = present.map((v) => (typeof v === 'boolean' ? bool(v) : this.params.add(v))).join(', ');
    }
    return (key) => {
      const terms = [...(list !== null ? [`${key} IN (${list})`] : []), ...(withNull ? [`${key} IS NULL`] : [])];
      return terms.length > 0 ? `(${terms.join(' OR ')})` : '0';
    };
  }

  private compare(op: string, v: Scalar, isId: boolean): Leaf {
    if (isId && typeof v !== 'string') return never;
    if (v === null) return op === '$gte' || op === '$lte' ? (key) => `${key} IS NULL` : never;
    const p = typeof v === 'boolean' ? bool(v) : this.params.add(v);
    const upward = op === '$gt' || op === '$gte';
    return (key) => {
      // Keep the comparison inside the operand's type class (numbers < text < blobs in SQLite).
      const bound =
        typeof v === 'number'
          ? upward
            ? `${key} < ''`
            : null
          : typeof v === 'string'
            ? upward
              ? `${key} < X''`
              : `${key} >= ''`
            : upward
              ? `${key} <= X'03'`
              : `${key} >= X'02'`;
      return bound ? `(${key} ${COMPARE[op]} ${p} AND ${bound})` : `${key} ${COMPARE[op]} ${p}`;
    };
  }

  private crossesArray(segments: string[]): boolean {
    return segments.some((_, i) => this.arrays.has(segments.slice(0, i + 1).join('.')));
  }

  /** The leaf on the value at `segments` under `root`, with MongoDB's array traversal where arrays were seen. */
  private cond(root: string, segments: string[], base: string[], leaf: Leaf): string {
    const full = jsonPath(segments);
    const isArrayPath = (n: number): boolean => this.arrays.has([...base, ...segments.slice(0, n)].join('.'));
    let direct = leaf(keyOf(root, segments), `json_type(${root}, ${full})`);
    const guards: string[] = [];
    const branches: string[] = [];
    for (let n = 1; n < segments.length; n++) {
      if (!isArrayPath(n)) continue;
      const prefix = jsonPath(segments.slice(0, n));
      const j = `j${this.aliases++}`;
      const inner = this.cond(`${j}.value`, segments.slice(n), [...base, ...segments.slice(0, n)], leaf);
      guards.push(`json_type(${root}, ${prefix}) IS NOT 'array'`);
      branches.push(
        `(json_type(${root}, ${prefix}) = 'array' AND EXISTS (SELECT 1 FROM json_each(${root}, ${prefix}) AS ${j} WHERE ${j}.type = 'object' AND ${inner}))`,
      );
    }
    if (isArrayPath(segments.length)) {
      const j = `j${this.aliases++}`;
      branches.push(
        `(json_type(${root}, ${full}) = 'array' AND EXISTS (SELECT 1 FROM json_each(${root}, ${full}) AS ${j} WHERE ${leaf(elementKey(j, root), `${j}.type`)}))`,
      );
    }
    if (guards.length > 0) direct = `(${direct} AND ${guards.join(' AND ')})`;
    return branches.length > 0 ? `(${[direct, ...branches].join(' OR ')})` : direct;
  }
}

function checkScalar(path: string, value: unknown): Scalar {
  if (!isScalar(value))
    throw new UnsupportedFilterError(`Unsupported value for ${path}: use a string, finite number, boolean or null`);
  return value;
}

/**
 * `a OP b OP c ...` as a balanced tree of parentheses: SQLite nests a flat chain one level per term and
 * refuses expressions deeper than 1000 (an `$or` of 2,000 branches threw); balanced, 2,000 terms nest 11.
 */
function balanced(terms: string[], op: 'AND' | 'OR'): string {
  if (terms.length === 1) return `(${terms[0]})`;
  const middle = Math.ceil(terms.length / 2);
  return `(${balanced(terms.slice(0, middle), op)} ${op} ${balanced(terms.slice(middle), op)})`;
}

/** ORDER BY for the sort keys; keys pinned by an equality are left out (lets SQLite use the index order). */
export function orderBySql(keys: SortKey[], pinned: ReadonlySet<string>): string {
  const terms = keys
    .filter((k) => !pinned.has(k.path))
    .map((k) => `${pathKey(k.path)} ${k.dir === 1 ? 'ASC' : 'DESC'}`);
  return terms.length > 0 ? `ORDER BY ${terms.join(', ')}` : '';
}

/** Rows strictly after the cursor's values: (a > x) OR (a = x AND b > y) OR ..., NULL-aware, per direction. */
export function afterSql(keys: SortKey[], values: unknown[], pinned: ReadonlySet<string>, params: Params): string {
  const equal: string[] = [];
  const alternatives: string[] = [];
  let range = '';
  keys.forEach((k, i) => {
    const key = pathKey(k.path);
    const v = keyValue(values[i]);
    const p = v === null ? '' : params.add(v);
    const beyond =
      k.dir === 1
        ? v === null
          ? `${key} IS NOT NULL`
          : `${key} > ${p}`
        : v === null
          ? '0'
          : `(${key} < ${p} OR ${key} IS NULL)`;
    alternatives.push([...equal, beyond].join(' AND '));
    equal.push(v === null ? `${key} IS NULL` : `${key} = ${p}`);
    // A redundant bound on the first free key gives the planner an index range.
    if (!range && !pinned.has(k.path))
      range = k.dir === 1 ? (v === null ? '1' : `${key} >= ${p}`) : v === null ? `${key} IS NULL` : '1';
  });
  return `(${range || '1'}) AND (${alternatives.map((a) => `(${a})`).join(' OR ')})`;
}

/** Index columns: the same key expressions, then `id` in the first field's direction (the tie-breaker). */
export function indexColumns(spec: IndexSpec): { columns: string; uniqueColumns?: string } {
  const entries = Object.entries(spec.fields);
  if (entries.length === 0) throw new UnsupportedFilterError('An index needs at least one field');
  const dir = (d: number): string => (d === -1 ? 'DESC' : 'ASC');
  const cols = entries.map(([path, d]) => `${pathKey(path)} ${dir(d)}`);
  if (!entries.some(([path]) => path === '_id')) cols.push(`id ${dir(entries[0][1])}`);
  // Unique: missing/null counts as one value, as in MongoDB (SQLite alone would let NULLs repeat).
  const uniqueColumns = spec.unique
    ? entries.map(([path, d]) => `IFNULL(${pathKey(path)}, X'FF') ${dir(d)}`).join(', ')
    : undefined;
  return { columns: cols.join(', '), uniqueColumns };
}

/** Adds to `out` every dotted path at which `doc` holds an array (through arrays of objects, as MongoDB traverses). */
export function collectArrayPaths(doc: Record<string, unknown>, out: Set<string>, prefix = ''): void {
  for (const name in doc) {
    const value = doc[name];
    if (value === null || typeof value !== 'object') continue;
    const path = prefix ? `${prefix}.${name}` : name;
    if (Array.isArray(value)) {
      out.add(path);
      for (const element of value) {
        if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
          collectArrayPaths(element as Record<string, unknown>, out, path);
        }
      }
    } else {
      collectArrayPaths(value as Record<string, unknown>, out, path);
    }
  }
}

const patterns = new Map<string, RegExp>();
/** `$contains`: case-insensitive literal substring with Unicode case folding (as MongoDB's `$regex` + `i`). */
export function containsFunction(haystack: unknown, needle: unknown): number {
  if (typeof haystack !== 'string' || typeof needle !== 'string') return 0;
  let re = patterns.get(needle);
  if (!re) {
    if (patterns.size > 500) patterns.clear();
    // eslint-disable-next-line security/detect-non-literal-regexp -- every metacharacter of the needle is escaped
    re = new RegExp(escapeRegex(needle), 'iu');
    patterns.set(needle, re);
  }
  return re.test(haystack) ? 1 : 0;
}
