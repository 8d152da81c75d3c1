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
    throw new Error(`Unsupported field path ${JSON.stringify(path)}: use dotted [A-Za-z_][A-Za-z0-9_]* segments`);
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
    if (dir !== 1 && dir !== -1) throw new Error(`Sort direction for ${path} must be 1 or -1`);
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

/** Escapes a literal for a regular expression (MongoDB `$regex`, and JavaScript `u` mode). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/** A document to write: an object with a string `_id`, equal to the write's id when one is given. */
export function checkDoc(doc: Doc, id?: string): Doc {
  if (doc === null || typeof doc !== 'object' || typeof doc._id !== 'string')
    throw new Error('A document needs a string _id');
  if (id !== undefined && doc._id !== id) throw new Error(`Write id ${id} differs from the document's _id ${doc._id}`);
  return doc;
}
