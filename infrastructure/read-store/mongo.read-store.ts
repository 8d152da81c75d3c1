/**
 * The production read store on MongoDB (official driver). Commits and checkpoint moves run in
 * session transactions, so the server must be a replica set (a single-node one will do).
 * Checkpoints: collection `_checkpoints`, `{ _id: name, position: "<decimal string>" }`.
 * Same answers as the SQLite adapter (one contract suite): same cursor format and `_id` tie-breaker.
 */
import { MongoClient, MongoServerError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import {
  CheckpointConflictError,
  DuplicateKeyError,
  type CollectionSpec,
  type CommitBatch,
  type Doc,
  type Filter,
  type Page,
  type PageOptions,
  type ReadCollection,
  type ReadStore,
} from '../../application/ports/read-store.port.js';
import {
  checkCollectionName,
  checkDoc,
  decodeCursor,
  encodeCursor,
  findLimit,
  listFingerprint,
  pageLimit,
  sortKeys,
  splitPath,
} from './cursor.js';
import { afterFilter, toMongoFilter, toMongoSort } from './mongo-filter.js';

interface CheckpointDoc {
  _id: string;
  position: string;
}

const serverCode = (e: unknown): unknown => (e instanceof MongoServerError ? e.code : undefined);

function duplicateOf(e: unknown, collection: string): unknown {
  return serverCode(e) === 11000 ? new DuplicateKeyError(collection, (e as Error).message) : e;
}

export class MongoReadStore implements ReadStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** `dbName`: defaults to the database in the URL (else the driver's default). */
  static async connect(url: string, dbName?: string): Promise<MongoReadStore> {
    const client = new MongoClient(url, { ignoreUndefined: true });
    await client.connect();
    return new MongoReadStore(client, client.db(dbName));
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    const name = checkCollectionName(spec.name);
    const existing = await this.db.listCollections({ name }, { nameOnly: true }).toArray();
    if (existing.length === 0) {
      try {
        await this.db.createCollection(name);
      } catch (e) {
        if (serverCode(e) !== 48) throw e; // NamespaceExists: created concurrently
      }
    }
    for (const index of spec.indexes ?? []) {
      const entries = Object.entries(index.fields);
      if (entries.length === 0) throw new Error('An index needs at least one field');
      for (const [path] of entries) if (path !== '_id') splitPath(path);
      const keys: Record<string, 1 | -1> = Object.fromEntries(entries);
      // As on SQLite: non-unique indexes end with `_id` in the first field's direction (the sort tie-breaker).
      if (!index.unique && !('_id' in keys)) keys._id = entries[0][1];
      await this.docs(name).createIndex(keys, { unique: index.unique ?? false });
    }
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    const docs = this.docs(name);
    const find = async (filter: Filter, sort: Record<string, 1 | -1>, limit?: number): Promise<T[]> => {
      const cursor = docs.find(toMongoFilter(filter)).sort(sortKeysOf(sort));
      return (await (limit === undefined ? cursor : cursor.limit(limit)).toArray()) as unknown as T[];
    };
    return {
      findById: async (id) => (await docs.findOne({ _id: id })) as unknown as T | null,
      findByIds: async (ids) => {
        if (ids.length === 0) return [];
        const unique = [...new Set(ids)];
        const found = new Map(
          (await docs.find({ _id: { $in: unique } }).toArray()).map((d) => [d._id, d as unknown as T]),
        );
        return unique.flatMap((id) => found.get(id) ?? []);
      },
      findOne: async (filter) => (await find(filter, {}, 1))[0] ?? null,
      find: async (filter, options = {}) => find(filter, options.sort ?? {}, findLimit(options.limit)),
      findPage: async (filter, options: PageOptions = {}): Promise<Page<T>> => {
        const limit = pageLimit(options.limit);
        const keys = sortKeys(options.sort);
        const query = toMongoFilter(filter);
        const list = listFingerprint(name, filter, keys);
        const combined = options.cursor
          ? { $and: [query, afterFilter(keys, decodeCursor(options.cursor, keys, list))] }
          : query;
        const found = (await docs
          .find(combined)
          .sort(toMongoSort(keys))
          .limit(limit + 1)
          .toArray()) as unknown as T[];
        const items = found.slice(0, limit);
        return { items, nextCursor: found.length > limit ? encodeCursor(items[items.length - 1], keys, list) : null };
      },
      count: async (filter = {}) => docs.countDocuments(toMongoFilter(filter)),
      put: async (doc) => {
        try {
          await docs.replaceOne({ _id: doc._id }, checkDoc(doc), { upsert: true });
        } catch (e) {
          throw duplicateOf(e, name);
        }
      },
      insertIfAbsent: async (doc) => {
        try {
          await docs.insertOne(checkDoc(doc));
          return true;
        } catch (e) {
          const onId =
            e instanceof MongoServerError && (e.keyPattern?._id !== undefined || /index: _id_ /.test(e.message));
          if (serverCode(e) === 11000 && onId) return false;
          throw duplicateOf(e, name);
        }
      },
      delete: async (id) => {
        await docs.deleteOne({ _id: id });
      },
    };
  }

  async commit(batch: CommitBatch): Promise<void> {
    if (typeof batch.next !== 'bigint' || (batch.expected !== null && typeof batch.expected !== 'bigint')) {
      throw new TypeError('Checkpoint positions must be bigints');
    }
    const operations = new Map<string, AnyBulkWriteOperation<Doc>[]>();
    for (const write of batch.writes) {
      const name = checkCollectionName(write.collection);
      const list = operations.get(name) ?? [];
      operations.set(name, list);
      list.push(
        write.doc === null
          ? { deleteOne: { filter: { _id: write.id } } }
          : { replaceOne: { filter: { _id: write.id }, replacement: checkDoc(write.doc, write.id), upsert: true } },
      );
    }
    let current = '';
    const session = this.client.startSession();
    try {
      await session.withTransaction(async () => {
        const stored = await this.checkpoints.findOne({ _id: batch.checkpoint }, { session });
        const actual = stored ? BigInt(stored.position) : null;
        if (actual !== batch.expected) throw new CheckpointConflictError(batch.checkpoint, batch.expected, actual);
        for (const [name, list] of operations) {
          current = name;
          await this.docs(name).bulkWrite(list, { session, ordered: true });
        }
        await this.checkpoints.updateOne(
          { _id: batch.checkpoint },
          { $set: { position: batch.next.toString() } },
          { upsert: true, session },
        );
      });
    } catch (e) {
      throw duplicateOf(e, current);
    } finally {
      await session.endSession();
    }
  }

  async getCheckpoint(name: string): Promise<bigint | null> {
    const stored = await this.checkpoints.findOne({ _id: name });
    return stored ? BigInt(stored.position) : null;
  }

  async promote(
    renames: Array<{ from: string; to: string }>,
    fromCheckpoint: string,
    toCheckpoint: string,
  ): Promise<void> {
    const targets = new Set(renames.map((r) => r.to));
    if (targets.size !== renames.length || renames.some((r) => r.from === r.to || targets.has(r.from))) {
      throw new Error('promote: each rename needs distinct collections');
    }
    for (const { from, to } of renames) {
      await this.db.renameCollection(checkCollectionName(from), checkCollectionName(to), { dropTarget: true });
    }
    const session = this.client.startSession();
    try {
      await session.withTransaction(async () => {
        const stored = await this.checkpoints.findOne({ _id: fromCheckpoint }, { session });
        await this.checkpoints.deleteOne({ _id: toCheckpoint }, { session });
        if (stored) await this.checkpoints.insertOne({ _id: toCheckpoint, position: stored.position }, { session });
        await this.checkpoints.deleteOne({ _id: fromCheckpoint }, { session });
      });
    } finally {
      await session.endSession();
    }
  }

  async dropCollection(name: string): Promise<void> {
    try {
      await this.db.dropCollection(checkCollectionName(name));
    } catch (e) {
      if (serverCode(e) !== 26) throw e; // NamespaceNotFound
    }
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.checkpoints.deleteOne({ _id: name });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private docs(name: string): Collection<Doc> {
    return this.db.collection<Doc>(checkCollectionName(name));
  }

  private get checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>('_checkpoints');
  }
}

function sortKeysOf(sort: Record<string, 1 | -1>): Record<string, 1 | -1> {
  return toMongoSort(sortKeys(sort));
}
