/**
 * The read-model store port: collections of JSON documents in MongoDB's terms. Both adapters
 * (SQLite, MongoDB) give the same answers for the subset below, proven by one contract suite
 * (tests/contract/read-store.contract.ts).
 *
 * Documents are plain JSON: strings, finite numbers, booleans, null, arrays, objects. Timestamps and
 * dates are ISO strings (they sort as text); positions are decimal strings; money is integer minor units.
 */

import { DomainError } from '../../domain/shared/domain-error.js';
import { ApplicationErrors } from '../shared/application.errors.js';

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

export interface ReadStore {
  /** Create the collection and its indexes if missing (idempotent). */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  collection<T extends Doc = Doc>(name: string): ReadCollection<T>;
  /**
   * Apply document writes and move the checkpoint from `expected` to `next`, together: atomically on
   * SQLite, in one transaction on MongoDB. Throws CheckpointConflictError (and writes nothing) when
   * the stored checkpoint is not `expected`.
   */
  commit(batch: CommitBatch): Promise<void>;
  getCheckpoint(name: string): Promise<bigint | null>;
  /**
   * Swap rebuilt collections in: each `from` replaces its `to` (dropping the old one), and checkpoint
   * `fromCheckpoint` becomes `toCheckpoint`. Readers see the old or the new collections, never a mix
   * (atomic on SQLite; on MongoDB renames with dropTarget, then the checkpoint).
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
