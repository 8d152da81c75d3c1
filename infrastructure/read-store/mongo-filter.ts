/**
 * Port filters, sorts and keyset cursors as MongoDB queries. Filters are rebuilt from what they are
 * checked to hold (the same rules and limits as the SQLite translation): every value is a scalar,
 * equality is always `$eq` (a value is never spliced in where MongoDB would read an operator), and
 * `$contains` becomes an escaped, case-insensitive `$regex`.
 */
import type { Document } from 'mongodb';
import { UnsupportedFilterError, type Filter } from '../../application/ports/read-store.port.js';
import { checkFilterSize, escapeRegex, isOperatorObject, isScalar, splitPath, type SortKey } from './cursor.js';

const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$contains']);

export function toMongoFilter(filter: Filter): Document {
  checkFilterSize(filter);
  return translate(filter);
}

function translate(filter: Filter): Document {
  if (!isOperatorObject(filter)) throw new UnsupportedFilterError('A filter must be an object');
  const out: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0)
        throw new UnsupportedFilterError(`${key} needs a non-empty array of filters`);
      out[key] = value.map((sub) => translate(sub as Filter));
    } else if (key.startsWith('$')) {
      throw new UnsupportedFilterError(`Unsupported filter operator ${key}`);
    } else {
      if (key !== '_id') splitPath(key);
      out[key] = fieldFilter(key, value);
    }
  }
  return out;
}

function fieldFilter(path: string, value: unknown): unknown {
  const scalar = (v: unknown): unknown => {
    if (!isScalar(v))
      throw new UnsupportedFilterError(`Unsupported value for ${path}: use a string, finite number, boolean or null`);
    return v;
  };
  if (!isOperatorObject(value)) return { $eq: scalar(value) };
  const ops: Document = {};
  for (const [op, operand] of Object.entries(value)) {
    if (operand === undefined) continue;
    if (!OPERATORS.has(op)) throw new UnsupportedFilterError(`Unsupported operator ${op} on ${path}`);
    if (op === '$contains') {
      if (typeof operand !== 'string') throw new UnsupportedFilterError(`$contains on ${path} needs a string`);
      ops.$regex = escapeRegex(operand);
      ops.$options = 'i';
    } else if (op === '$in' || op === '$nin') {
      if (!Array.isArray(operand)) throw new UnsupportedFilterError(`${op} on ${path} needs an array`);
      ops[op] = operand.map(scalar);
    } else {
      ops[op] = op === '$exists' ? !!operand : scalar(operand);
    }
  }
  return ops;
}

export function toMongoSort(keys: SortKey[]): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  for (const key of keys) sort[key.path] = key.dir;
  return sort;
}

/** BSON type classes in MongoDB's sort order (null and missing sort together, first). */
const CLASSES = ['null', 'number', 'string', 'object', 'array', 'bool'];
const NOTHING: Document = { _id: { $in: [] } };

function typeClass(v: unknown): number {
  if (v === null) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 5;
  return Array.isArray(v) ? 4 : 3;
}

/** Values strictly after `v` in direction `dir`, across type classes (`$gt`/`$lt` stay within one). */
function beyond(path: string, dir: 1 | -1, v: unknown): Document {
  const c = typeClass(v);
  if (dir === 1) {
    if (v === null) return { [path]: { $ne: null } };
    const later = CLASSES.slice(c + 1);
    return { $or: [{ [path]: { $gt: v } }, ...(later.length > 0 ? [{ [path]: { $type: later } }] : [])] };
  }
  if (v === null) return NOTHING;
  const earlier = CLASSES.slice(1, c);
  return {
    $or: [{ [path]: { $lt: v } }, { [path]: null }, ...(earlier.length > 0 ? [{ [path]: { $type: earlier } }] : [])],
  };
}

/** Documents strictly after the cursor's values: (a > x) OR (a = x AND b > y) OR ... */
export function afterFilter(keys: SortKey[], values: unknown[]): Document {
  const equal: Document[] = [];
  const alternatives: Document[] = [];
  keys.forEach((key, i) => {
    alternatives.push({ $and: [...equal, beyond(key.path, key.dir, values[i])] });
    equal.push({ [key.path]: { $eq: values[i] ?? null } });
  });
  return { $or: alternatives };
}

/**
 * The collection validator that keeps unique-indexed fields scalar (the port's rule): no document may
 * hold an array or an object at such a path, nor an array on the way to it (MongoDB would index every
 * element: "multikey", which the SQLite adapter does not). Null when there is no unique index.
 */
export function uniqueValidator(uniqueKeys: string[][]): Document | null {
  const conditions: Document[] = [];
  const seen = new Set<string>();
  for (const key of uniqueKeys) {
    for (const path of key) {
      if (path === '_id' || seen.has(path)) continue;
      seen.add(path);
      const segments = path.split('.');
      for (let n = 1; n < segments.length; n++)
        conditions.push({ [segments.slice(0, n).join('.')]: { $type: 'array' } });
      conditions.push({ [path]: { $type: ['array', 'object'] } });
    }
  }
  return conditions.length > 0 ? { $nor: conditions } : null;
}

/**
 * Why a server cannot run Rentlog's commits (transactions need a replica set member or a mongos), from
 * its `hello` answer; null when it can. A standalone mongod passes connect and ping, then fails every
 * commit ("Transaction numbers are only allowed on a replica set member or mongos").
 */
export function transactionsRefusal(hello: Document): string | null {
  if (typeof hello.setName === 'string' && hello.setName.length > 0) return null;
  if (hello.msg === 'isdbgrid') return null;
  return (
    'MongoDB (MONGODB_URL) is a standalone mongod: Rentlog needs a replica set (its commits are transactions). ' +
    'Start mongod with --replSet rs0, run rs.initiate() once, and add ?replicaSet=rs0 to MONGODB_URL'
  );
}
