/**
 * How Rentlog's MongoDB clients are opened, one mapping for every adapter (read store, key vault,
 * job store, rate limits, GridFS): majority-acknowledged, journaled writes unless the URL names a
 * write concern of its own (a write acknowledged by the primary alone can be rolled back when it
 * fails over; the read models' checkpoints must not move back), and where reads may go.
 */
import { ReadPreference, type MongoClientOptions } from 'mongodb';
import type { MongoReadPreference } from '../config/config.js';

/** The URL's query options, by lower-cased name (a MongoDB URL may list several hosts, which URL cannot parse). */
const urlOptions = (url: string): Set<string> =>
  new Set([...new URLSearchParams(url.split('?')[1] ?? '').keys()].map((k) => k.toLowerCase()));

const WRITE_CONCERN_OPTIONS = ['w', 'journal', 'j', 'wtimeoutms'];

export function mongoClientOptions(url: string, extra: MongoClientOptions = {}): MongoClientOptions {
  const named = urlOptions(url);
  const ownWriteConcern = WRITE_CONCERN_OPTIONS.some((o) => named.has(o));
  return {
    ignoreUndefined: true,
    ...(ownWriteConcern ? {} : { writeConcern: { w: 'majority', journal: true } }),
    ...extra,
  };
}

export interface QueryReads {
  /** MONGODB_READ_PREFERENCE: where reads that may be behind go. */
  readPreference: MongoReadPreference;
  /** MONGODB_MAX_STALENESS_SECONDS. */
  maxStalenessSeconds?: number;
}

/**
 * The read preference of one read: undefined (the client's, which is the primary unless the URL
 * says otherwise) for every read that must see the latest writes; the configured one for a read
 * that may be behind (a query without X-Min-Position), when that is not the primary.
 */
export function readPreferenceFor(reads: QueryReads | undefined, staleAllowed: boolean): ReadPreference | undefined {
  if (!reads || !staleAllowed || reads.readPreference === 'primary') return undefined;
  return new ReadPreference(
    reads.readPreference,
    undefined,
    reads.maxStalenessSeconds === undefined ? undefined : { maxStalenessSeconds: reads.maxStalenessSeconds },
  );
}
