/**
 * The read-model store port: collections of JSON documents in MongoDB's terms. Both adapters
 * (SQLite, MongoDB) give the same answers for the subset below, proven by one contract suite
 * (tests/contract/read-store.contract.ts); what the subset leaves out is refused with a typed error
 * on both, never answered differently.
 *
 * - Documents are plain JSON: strings, finite numbers (doubles: numbers beyond 2^53 and extreme ones such
 *   as 1e-300 round-trip and compare exactly, as MongoDB compares them), booleans, null, arrays, plain
 *   objects, at most 100 levels deep; field names neither start with `$` nor hold `.` or NUL; an
 *   undefined field is left out. Anything else (bigint, NaN, Infinity, Date, a class instance) is an
 *   InvalidDocumentError. Timestamps and dates are ISO strings (they sort as text); positions are
 *   decimal strings; money is integer minor units.
 * - A unique index's fields hold scalars (or are missing) in every document: a write that puts an array
 *   or an object there is an InvalidDocumentError (MongoDB would index each element, "multikey").
 * - Filters hold at most 10,000 operands and 100,000 values in one `$in`/`$nin`, nested at most 32
 *   levels; larger ones are an UnsupportedFilterError, as are operators and values outside FieldOps.
 */

import { DomainError } from '../../domain/shared/domain-error.js';
import { ApplicationErrors } from '../shared/application.errors.js';
import type { LeaseStore, LeaseToken } from './lease-store.port.js';

export const READ_STORE = Symbol('ReadStore');

export type Doc = { _id: string } & Record<string, unknown>;

export type Scalar = string | number | boolean | null;

/** Operators on one field. A field that holds an array matches when any element matches (as in MongoDB). */
export interface FieldOps {
  $eq?: Scalar;
  $ne?: Scalar;
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
  $in?: Scalar[];
  $nin?: Scalar[];
  $exists?: boolean;
  /** Case-insensitive substring match (a literal, not a pattern). Stands in for `$regex` with escaped text and `i`. */
  $contains?: string;
}

/** A filter: field paths (dotted for nesting) to a scalar (equality) or operators; `$and` / `$or` combine. */
export type Filter = { $and?: Filter[]; $or?: Filter[] } & { [path: string]: Scalar | FieldOps | Filter[] | undefined };

/** Sort keys in order of precedence; `_id` is always added last as a tie-breaker. */
export type Sort = Record<string, 1 | -1>;

/** An index on these fields. Declaring it again with another `unique` replaces it (a new one is built). */
export interface IndexSpec {
  fields: Record<string, 1 | -1>;
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes?: IndexSpec[];
}

export interface PageOptions {
  sort?: Sort;
  /** 1..1000; default 20. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`, valid for the same filter and sort. */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ReadCollection<T extends Doc = Doc> {
  findById(id: string): Promise<T | null>;
  findByIds(ids: readonly string[]): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  /** All matches in sort order, at most `limit` (default: no limit). */
  find(filter: Filter, options?: { sort?: Sort; limit?: number }): Promise<T[]>;
  /** Keyset pagination: stable under concurrent inserts, cursor encodes the last item's sort values. */
  findPage(filter: Filter, options?: PageOptions): Promise<Page<T>>;
  count(filter?: Filter): Promise<number>;
  /** Replace or insert a whole document (outside projections: idempotency keys, parked events...). */
  put(doc: T): Promise<void>;
  /** Insert only when no document has this `_id`; answers whether it inserted. */
  insertIfAbsent(doc: T): Promise<boolean>;
  delete(id: string): Promise<void>;
}

export interface DocWrite {
  collection: string;
  id: string;
  /** The whole new document, or null to delete it. */
  doc: Doc | null;
}

export interface CommitBatch {
  /** Checkpoint name (a projection's name, or its rebuild's). */
  checkpoint: string;
  /** Compare-and-set: the checkpoint the writer last read (null: none yet). */
  expected: bigint | null;
  next: bigint;
  writes: DocWrite[];
  /** Fencing: commit only while this lease still has this holder and epoch (else LeaseLostError, nothing written). */
  lease?: LeaseToken;
}

export class CheckpointConflictError extends Error {
  readonly code = 'CHECKPOINT_CONFLICT';
  constructor(
    readonly checkpoint: string,
    readonly expected: bigint | null,
    readonly actual: bigint | null,
  ) {
    super(`Checkpoint ${checkpoint}: expected ${String(expected)}, found ${String(actual)}`);
    this.name = 'CheckpointConflictError';
  }
}

/** The read store keeps the leases too, so that a commit checks its lease in the same transaction. */
export interface ReadStore extends LeaseStore {
  /**
   * Create the collection and its indexes if missing (idempotent). An index on the same fields with
   * another `unique` is replaced; making one unique over duplicates throws DuplicateKeyError and keeps
   * the old one. Indexes not named in `spec` are left alone.
   */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  collection<T extends Doc = Doc>(name: string): ReadCollection<T>;
  /**
   * Apply document writes and move the checkpoint from `expected` to `next`, together: atomically on
   * SQLite, in one transaction on MongoDB. Throws CheckpointConflictError (and writes nothing) when
   * the stored checkpoint is not `expected`, and LeaseLostError when `lease` no longer holds.
   */
  commit(batch: CommitBatch): Promise<void>;
  getCheckpoint(name: string): Promise<bigint | null>;
  /**
   * Swap rebuilt collections in: each `from` replaces its `to` (the old `to` is dropped), `from` reads
   * as empty afterwards, and checkpoint `fromCheckpoint` becomes `toCheckpoint`, all in one atomic step:
   * readers and writers see the old collections and checkpoint or the new ones, never a mix; a commit
   * that read the old checkpoint fails with CheckpointConflictError and writes nothing; a crash leaves
   * one state or the other. Throws (and changes nothing) when a `from` was never written.
   * (SQLite: one transaction; MongoDB: a pointer document per collection names the collection that
   * holds its documents, and the pointers and the checkpoint change in one transaction.)
   */
  promote(renames: Array<{ from: string; to: string }>, fromCheckpoint: string, toCheckpoint: string): Promise<void>;
  dropCollection(name: string): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A page cursor that is malformed, forged, or was made for another list: the client's mistake (a 400). */
export class InvalidCursorError extends DomainError {
  constructor(detail: string) {
    super(ApplicationErrors.invalidCursor, detail);
    this.name = 'InvalidCursorError';
  }
}

/** A write broke a unique index (not `_id`: `put` replaces by `_id`). Thrown by `put`, `insertIfAbsent` and `commit`. */
export class DuplicateKeyError extends Error {
  readonly code = 'DUPLICATE_KEY';
  constructor(
    readonly collection: string,
    detail?: string,
  ) {
    super(`Duplicate key in ${collection}${detail ? `: ${detail}` : ''}`);
    this.name = 'DuplicateKeyError';
  }
}

/** A document outside the port's JSON subset (see above), refused before anything is written. */
export class InvalidDocumentError extends Error {
  readonly code = 'INVALID_DOCUMENT';
  constructor(
    readonly collection: string,
    detail: string,
  ) {
    super(`Not a document for ${collection}: ${detail}`);
    this.name = 'InvalidDocumentError';
  }
}

/** A filter outside the port's subset (an operator, a value, a size or a depth it does not take). */
export class UnsupportedFilterError extends Error {
  readonly code = 'UNSUPPORTED_FILTER';
  constructor(detail: string) {
    super(detail);
    this.name = 'UnsupportedFilterError';
  }
}
