/**
 * What both read-store adapters share, so that they answer identically: name and path rules, the
 * sort order with its `_id` tie-breaker, page limits, and the opaque page cursor.
 *
 * Sort order (both adapters): null and missing (equal) < numbers < strings (binary UTF-8 order) <
 * objects < arrays < false < true. Sorting on a field that holds an array or an object is not
 * supported (MongoDB orders arrays by their smallest/largest element; SQLite does not).
 * `_id` is always the last key, in the direction of the FIRST sort key (ascending with no sort), so
 * a descending sort is exactly the reverse of the ascending one.
 */
import { createHash } from 'node:crypto';
import {
  InvalidCursorError,
  InvalidDocumentError,
  UnsupportedFilterError,
  type Doc,
  type Filter,
  type Scalar,
  type Sort,
} from '../../application/ports/read-store.port.js';

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Collection names: a letter, then letters, digits, `_` (64 at most). `_`-prefixed names are reserved. */
export function checkCollectionName(name: string): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new Error(`Invalid collection name ${JSON.stringify(name)}: use [A-Za-z][A-Za-z0-9_]{0,62}`);
  }
  return name;
}

/** A dotted field path: segments of letters, digits and `_` (no array indexes, no `$`). */
export function splitPath(path: string): string[] {
  const segments = path.split('.');
  if (!segments.every((s) => PATH_SEGMENT.test(s))) {
    throw new UnsupportedFilterError(
      `Unsupported field path ${JSON.stringify(path)}: use dotted [A-Za-z_][A-Za-z0-9_]* segments`,
    );
  }
  return segments;
}

export interface SortKey {
  path: string;
  dir: 1 | -1;
}

/** The sort keys in order, `_id` appended (or kept where given; keys after it would never matter). */
export function sortKeys(sort?: Sort): SortKey[] {
  const keys: SortKey[] = [];
  for (const [path, dir] of Object.entries(sort ?? {})) {
    if (dir !== 1 && dir !== -1) throw new UnsupportedFilterError(`Sort direction for ${path} must be 1 or -1`);
    if (path !== '_id') splitPath(path);
    keys.push({ path, dir });
    if (path === '_id') return keys;
  }
  keys.push({ path: '_id', dir: keys[0]?.dir ?? 1 });
  return keys;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 1000;

export function pageLimit(limit?: number): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new RangeError(`Page limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${limit}`);
  }
  return limit;
}

export function findLimit(limit?: number): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Limit must be a positive integer, got ${limit}`);
  return limit;
}

/** The value at a dotted path without array traversal; missing is null (as MongoDB sorts it). */
export function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined ? null : value;
}

/** Which list a cursor belongs to: the collection, the filter and the sort (a short hash of them). */
export function listFingerprint(collection: string, filter: Filter, keys: SortKey[]): string {
  return createHash('sha256')
    .update(JSON.stringify([collection, filter, keys]))
    .digest('base64url')
    .slice(0, 16);
}

/** The cursor: base64url of `{"l": list fingerprint, "k": [sort paths], "v": [values of the last item]}`. */
export function encodeCursor(doc: Record<string, unknown>, keys: SortKey[], list: string): string {
  const body = {
    l: list,
    k: keys.map((k) => (k.dir === 1 ? k.path : `-${k.path}`)),
    v: keys.map((k) => valueAt(doc, k.path)),
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The last item's sort values. A cursor that is not one of ours (malformed, values that are not plain
 * scalars) or was made for another list (collection, filter or sort) is an InvalidCursorError.
 */
export function decodeCursor(cursor: string, keys: SortKey[], list: string): Scalar[] {
  let body: { l?: unknown; k?: unknown; v?: unknown } | null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof body;
  } catch {
    throw new InvalidCursorError('The page cursor is malformed');
  }
  const expected = keys.map((k) => (k.dir === 1 ? k.path : `-${k.path}`));
  if (
    body === null ||
    typeof body !== 'object' ||
    !Array.isArray(body.k) ||
    !Array.isArray(body.v) ||
    body.k.length !== expected.length ||
    body.v.length !== expected.length ||
    !body.v.every(isScalar)
  ) {
    throw new InvalidCursorError('The page cursor is malformed');
  }
  if (body.l !== list || body.k.some((k, i) => k !== expected[i]))
    throw new InvalidCursorError('The page cursor was made for another list (filter or sort)');
  return body.v as Scalar[];
}

/**
 * Escapes a literal for a regular expression (MongoDB `$regex`, and JavaScript `u` mode). NUL becomes
 * `\x00`: MongoDB refuses a pattern holding a NUL byte (RegexMatchExpression), and both engines read
 * the escape as the NUL character, so a NUL in a search matches the same on both adapters.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
}

export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** A plain object of operators (`{ $gt: 1 }`), as opposed to an equality value. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const MAX_DOC_DEPTH = 100;

/**
 * A document to write: a plain object with a string `_id` (equal to the write's id when one is
 * given), holding only the port's JSON subset (read-store.port.ts): anything else is refused here, on
 * both adapters, instead of being stored differently by each (a bigint became a Long on MongoDB and
 * threw on SQLite; NaN became null on SQLite).
 */
export function checkDoc(collection: string, doc: Doc, id?: string): Doc {
  const refuse = (detail: string): never => {
    throw new InvalidDocumentError(collection, detail);
  };
  if (!isPlainObject(doc) || typeof doc._id !== 'string') refuse('a document needs a string _id');
  if (id !== undefined && doc._id !== id) refuse(`write id ${id} differs from the document's _id ${doc._id}`);
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) refuse(`${path} is ${String(value)}, not a finite number`);
      return;
    }
    if (depth >= MAX_DOC_DEPTH) refuse(`${path} is nested deeper than ${MAX_DOC_DEPTH} levels`);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (value[i] === undefined) refuse(`${path}[${i}] is undefined`);
        visit(value[i], `${path}[${i}]`, depth + 1);
      }
      return;
    }
    if (!isPlainObject(value)) refuse(`${path} is a ${describeValue(value)}, not JSON`);
    for (const key in value as Record<string, unknown>) {
      const field = (value as Record<string, unknown>)[key];
      if (field === undefined) continue; // left out, as JSON.stringify and the MongoDB driver do
      if (key.startsWith('$') || key.includes('.') || key.includes('\0'))
        refuse(`field name ${JSON.stringify(key)} at ${path} starts with $ or holds . or NUL`);
      visit(field, `${path}.${key}`, depth + 1);
    }
  };
  visit(doc, '(document)', 0);
  return doc;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

const describeValue = (value: unknown): string =>
  typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;

/**
 * Unique indexes take scalars only (read-store.port.ts): the value at each path, read without array
 * traversal, must be a scalar or missing, and no array may stand on the way to it.
 */
export function checkUniqueScalars(collection: string, doc: Doc, paths: Iterable<string>): void {
  for (const path of paths) {
    let value: unknown = doc;
    for (const segment of path.split('.')) {
      if (Array.isArray(value)) break;
      if (value === null || typeof value !== 'object') {
        value = undefined;
        break;
      }
      value = (value as Record<string, unknown>)[segment];
    }
    if (value !== null && typeof value === 'object')
      throw new InvalidDocumentError(
        collection,
        `${path} holds ${Array.isArray(value) ? 'an array' : 'an object'} under a unique index (it takes scalars only)`,
      );
  }
}

export const MAX_FILTER_OPERANDS = 10_000;
export const MAX_IN_VALUES = 100_000;
export const MAX_FILTER_DEPTH = 32;

/**
 * Counts a filter's operands and checks its nesting against the port's limits, the same for both
 * adapters (SQLite binds every operand as a parameter and nests SQL expressions; MongoDB has limits
 * of its own): larger filters are an UnsupportedFilterError, never a database error.
 */
export function checkFilterSize(filter: Filter): void {
  let operands = 0;
  const visit = (f: unknown, depth: number): void => {
    if (depth > MAX_FILTER_DEPTH)
      throw new UnsupportedFilterError(`A filter may nest at most ${MAX_FILTER_DEPTH} levels`);
    if (!isOperatorObject(f)) return;
    for (const [key, value] of Object.entries(f)) {
      if (value === undefined) continue;
      if ((key === '$and' || key === '$or') && Array.isArray(value)) {
        for (const sub of value) visit(sub, depth + 1);
      } else if (isOperatorObject(value)) {
        for (const [op, operand] of Object.entries(value)) {
          if (Array.isArray(operand)) {
            if (operand.length > MAX_IN_VALUES)
              throw new UnsupportedFilterError(`${op} on ${key} takes at most ${MAX_IN_VALUES} values`);
            operands += 1;
          } else operands += 1;
        }
      } else operands += 1;
    }
    if (operands > MAX_FILTER_OPERANDS)
      throw new UnsupportedFilterError(`A filter may hold at most ${MAX_FILTER_OPERANDS} operands`);
  };
  visit(filter, 0);
}
