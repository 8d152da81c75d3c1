/**
 * The MongoDB adapter's pure parts, which run everywhere (the adapter itself needs a server: its
 * contract suite runs where MONGODB_URL is set): filters rebuilt from checked scalars with `$eq`
 * equality, the validator that keeps unique fields scalar, the refusal of a standalone mongod.
 */
import { UnsupportedFilterError } from '../../../application/ports/read-store.port.js';
import {
  decodeCursor,
  encodeCursor,
  escapeRegex,
  listFingerprint,
  sortKeys,
} from '../../../infrastructure/read-store/cursor.js';
import {
  afterFilter,
  toMongoFilter,
  transactionsRefusal,
  uniqueValidator,
} from '../../../infrastructure/read-store/mongo-filter.js';

describe('MongoDB filters', () => {
  it('compares every equality with $eq, so no value is ever read as an operator', () => {
    expect(toMongoFilter({ sku: 'x', n: { $gt: 1, $in: [1, null] }, $or: [{ a: null }, { b: true }] })).toEqual({
      sku: { $eq: 'x' },
      n: { $gt: 1, $in: [1, null] },
      $or: [{ a: { $eq: null } }, { b: { $eq: true } }],
    });
    expect(() => toMongoFilter({ sku: { $eq: { $ne: null } } } as never)).toThrow(UnsupportedFilterError);
    expect(() => toMongoFilter({ sku: { $where: 'sleep(1)' } } as never)).toThrow(UnsupportedFilterError);
    expect(() => toMongoFilter({ $where: 'x' } as never)).toThrow(UnsupportedFilterError);
  });

  it('builds keyset conditions from cursor values with $eq and comparison operators only', () => {
    const keys = sortKeys({ price: 1 });
    const list = listFingerprint('products', {}, keys);
    const cursor = encodeCursor({ _id: 'p1', price: 5 }, keys, list);
    const filter = afterFilter(keys, decodeCursor(cursor, keys, list));
    expect(JSON.stringify(filter)).not.toMatch(/"\$(ne|regex|where|expr)"/);
    expect(filter).toEqual({
      $or: [
        { $and: [{ $or: [{ price: { $gt: 5 } }, { price: { $type: ['string', 'object', 'array', 'bool'] } }] }] },
        {
          $and: [
            { price: { $eq: 5 } },
            { $or: [{ _id: { $gt: 'p1' } }, { _id: { $type: ['object', 'array', 'bool'] } }] },
          ],
        },
      ],
    });
  });

  it('escapes NUL as \\x00, which MongoDB accepts and both regex engines read as NUL', () => {
    expect(escapeRegex('a\u0000b.c')).toBe('a\\x00b\\.c');
    expect(new RegExp(escapeRegex('E\u0000A'), 'iu').test('before\u0000after')).toBe(true);
    expect(toMongoFilter({ s: { $contains: '\u0000' } })).toEqual({ s: { $regex: '\\x00', $options: 'i' } });
  });
});

describe('MongoDB collection rules', () => {
  it('validates unique fields to hold no array or object, nor an array on the way', () => {
    expect(uniqueValidator([])).toBeNull();
    expect(uniqueValidator([['email'], ['line.sku', '_id'], ['email']])).toEqual({
      $nor: [
        { email: { $type: ['array', 'object'] } },
        { line: { $type: 'array' } },
        { 'line.sku': { $type: ['array', 'object'] } },
      ],
    });
  });

  it('refuses a standalone mongod (its hello has no setName), with what to do', () => {
    expect(transactionsRefusal({ isWritablePrimary: true, ok: 1 })).toMatch(
      /standalone mongod: Rentlog needs a replica set .*--replSet/,
    );
    expect(transactionsRefusal({ isWritablePrimary: true, setName: 'rs0', ok: 1 })).toBeNull();
    expect(transactionsRefusal({ msg: 'isdbgrid', ok: 1 })).toBeNull();
    expect(transactionsRefusal({ isWritablePrimary: true, ok: 1 })).not.toContain('\n');
  });
});
