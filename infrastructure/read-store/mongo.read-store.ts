/**
 * The production read store on MongoDB (official driver 7.x). Commits, checkpoint moves and promotes run
 * in session transactions, so the server must be a replica set (a single-node one will do) or a mongos:
 * `connect` asks the server (`hello`) and refuses a standalone mongod, which would pass `ping` and then
 * fail every commit.
 *
 * Collections through pointers: a pointer document in `_collections` (`{ _id: name, physical }`) may
 * name the MongoDB collection that holds a collection's documents (without one, the collection of that
 * name does). `promote` only rewrites pointers and the checkpoint, in one transaction, so the switch is
 * atomic for readers and writers of every process and a crash leaves the old state or the new one
 * (renaming collections one by one was neither). A commit resolves its pointers inside its own
 * transaction, beside the checkpoint it compares. The collection a promote replaced is kept (reads
 * already under way finish) and dropped by the next promote onto that name.
 * Checkpoints: `_checkpoints`, `{ _id: name, position: "<decimal string>" }`.
 * Same answers as the SQLite adapter (one contract suite): same cursor format and `_id` tie-breaker.
 */
import { randomBytes, createHash } from 'node:crypto';
import {
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import {
  CheckpointConflictError,
  DuplicateKeyError,
  InvalidDocumentError,
  type CollectionSpec,
  type CommitBatch,
  type Doc,
  type Filter,
  type IndexSpec,
  type Page,
  type PageOptions,
  type ReadCollection,
  type ReadStore,
} from '../../application/ports/read-store.port.js';
import type { Lease, LeaseToken } from '../../application/ports/lease-store.port.js';
import { StartupError } from '../config/config.js';
import { MongoLeases } from './mongo.leases.js';
import { withDeadline } from '../shared/with-deadline.js';
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
import { staleReadsAllowed } from '../../application/shared/read-consistency.js';
import { mongoClientOptions, readPreferenceFor, type QueryReads } from '../shared/mongo-options.js';
import { afterFilter, toMongoFilter, toMongoSort, transactionsRefusal, uniqueValidator } from './mongo-filter.js';

interface CheckpointDoc {
  _id: string;
  position: string;
}

interface PointerDoc {
  _id: string;
  physical: string;
  /** The collection the last promote replaced, dropped by the next one. */
  previous?: string;
}

const serverCode = (e: unknown): unknown => (e instanceof MongoServerError ? e.code : undefined);

function mapWriteError(e: unknown, collection: string): unknown {
  if (serverCode(e) === 11000) return new DuplicateKeyError(collection, (e as Error).message);
  // DocumentValidationFailure: the validator that keeps unique-indexed fields scalar (see ensureCollection).
  if (serverCode(e) === 121)
    return new InvalidDocumentError(collection, 'a unique index takes scalars only, not an array or an object');
  return e;
}

export interface MongoReadStoreOptions {
  /** ping() fails after this long. Default 2000 ms. */
  pingTimeoutMs?: number;
  /** How long connect() waits for the server. Default 30 s (the driver's). */
  serverSelectionTimeoutMs?: number;
  /**
   * Where reads that may be behind go (queries without X-Min-Position: `withStaleReadsAllowed`);
   * every other read goes to the primary. Default: the primary for all.
   */
  queryReads?: QueryReads;
}

export class MongoReadStore implements ReadStore {
  private readonly leases: MongoLeases;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly pingTimeoutMs: number,
    private readonly queryReads?: QueryReads,
  ) {
    this.leases = new MongoLeases(db);
  }

  /** `dbName`: defaults to the database in the URL (else the driver's default). */
  static async connect(url: string, dbName?: string, options: MongoReadStoreOptions = {}): Promise<MongoReadStore> {
    const client = new MongoClient(
      url,
      mongoClientOptions(
        url,
        options.serverSelectionTimeoutMs ? { serverSelectionTimeoutMS: options.serverSelectionTimeoutMs } : {},
      ),
    );
    try {
      await client.connect();
      const refusal = transactionsRefusal(await client.db('admin').command({ hello: 1 }));
      if (refusal) throw new StartupError(refusal);
    } catch (error) {
      await client.close().catch(() => undefined);
      if (error instanceof StartupError) throw error;
      throw new StartupError(
        `MongoDB (MONGODB_URL) cannot be reached: ${String((error as Error).message).split('\n')[0]}`,
      );
    }
    return new MongoReadStore(client, client.db(dbName), options.pingTimeoutMs ?? 2000, options.queryReads);
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    checkCollectionName(spec.name);
    const physical = await this.resolve(spec.name);
    const existing = await this.db.listCollections({ name: physical }, { nameOnly: true }).toArray();
    if (existing.length === 0) {
      try {
        await this.db.createCollection(physical);
      } catch (e) {
        if (serverCode(e) !== 48) throw e; // NamespaceExists: created concurrently
      }
    }
    const docs = this.db.collection<Doc>(physical);
    for (const index of spec.indexes ?? []) await this.ensureIndex(spec.name, docs, index);
    // Unique indexes take scalars only (the port), on every process's writes: a validator says so.
    const uniques = (await docs.listIndexes().toArray()).filter((i) => i.unique === true && i.name !== '_id_');
    const validator = uniqueValidator(uniques.map((i) => Object.keys(i.key as Document)));
    await this.db.command({
      collMod: physical,
      validator: validator ?? {},
      validationLevel: validator ? 'strict' : 'off',
      validationAction: 'error',
    });
  }

  /**
   * One declared index, named after its fields (`rl_<hash>`): kept when it is there as declared, else
   * built, after dropping the index of the same fields with another `unique` (or an older name), which
   * MongoDB would otherwise keep beside it or refuse as a conflict. (Between the drop and the build the
   * old constraint is gone: ensureCollection runs at start, before the runner writes.)
   */
  private async ensureIndex(name: string, docs: Collection<Doc>, index: IndexSpec): Promise<void> {
    const entries = Object.entries(index.fields);
    if (entries.length === 0) throw new Error('An index needs at least one field');
    for (const [path] of entries) if (path !== '_id') splitPath(path);
    const unique = index.unique ?? false;
    const declared: Record<string, 1 | -1> = Object.fromEntries(entries);
    // As on SQLite: non-unique indexes end with `_id` in the first field's direction (the sort tie-breaker).
    const keyOf = (u: boolean): Record<string, 1 | -1> =>
      u || '_id' in declared ? declared : { ...declared, _id: entries[0][1] };
    const wanted = keyOf(unique);
    const indexName = `rl_${createHash('sha1').update(JSON.stringify(entries)).digest('hex').slice(0, 12)}`;
    const same = (a: Document, b: Document) => JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
    let present = false;
    for (const existing of await docs
      .listIndexes()
      .toArray()
      .catch(() => [] as Document[])) {
      if (existing.name === '_id_') continue;
      const key = existing.key as Document;
      const ours = existing.name === indexName;
      const sameFields = same(key, keyOf(true)) || same(key, keyOf(false));
      if (ours && same(key, wanted) && (existing.unique === true) === unique) present = true;
      else if (ours || sameFields) await docs.dropIndex(existing.name as string);
    }
    if (present) return;
    try {
      await docs.createIndex(wanted, { name: indexName, unique });
    } catch (e) {
      throw mapWriteError(e, name);
    }
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    checkCollectionName(name);
    const docs = () => this.docs(name);
    const find = async (filter: Filter, sort: Record<string, 1 | -1>, limit?: number): Promise<T[]> => {
      const cursor = (await docs()).find(toMongoFilter(filter)).sort(sortKeysOf(sort));
      return (await (limit === undefined ? cursor : cursor.limit(limit)).toArray()) as unknown as T[];
    };
    return {
      findById: async (id) => {
        if (typeof id !== 'string') return null;
        return (await (await docs()).findOne({ _id: { $eq: id } })) as unknown as T | null;
      },
      findByIds: async (ids) => {
        if (ids.length === 0) return [];
        const unique = [...new Set(ids.filter((id) => typeof id === 'string'))];
        const found = new Map(
          (await (await docs()).find({ _id: { $in: unique } }).toArray()).map((d) => [d._id, d as unknown as T]),
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
        const found = (await (
          await docs()
        )
          .find(combined)
          .sort(toMongoSort(keys))
          .limit(limit + 1)
          .toArray()) as unknown as T[];
        const items = found.slice(0, limit);
        return { items, nextCursor: found.length > limit ? encodeCursor(items[items.length - 1], keys, list) : null };
      },
      count: async (filter = {}) => (await docs()).countDocuments(toMongoFilter(filter)),
      put: async (doc) => {
        checkDoc(name, doc);
        try {
          await (await docs()).replaceOne({ _id: { $eq: doc._id } }, doc, { upsert: true });
        } catch (e) {
          throw mapWriteError(e, name);
        }
      },
      insertIfAbsent: async (doc) => {
        checkDoc(name, doc);
        try {
          await (await docs()).insertOne(doc);
          return true;
        } catch (e) {
          const onId =
            e instanceof MongoServerError && (e.keyPattern?._id !== undefined || /index: _id_ /.test(e.message));
          if (serverCode(e) === 11000 && onId) return false;
          throw mapWriteError(e, name);
        }
      },
      delete: async (id) => {
        await (await docs()).deleteOne({ _id: { $eq: id } });
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
          ? { deleteOne: { filter: { _id: { $eq: write.id } } } }
          : {
              replaceOne: {
                filter: { _id: { $eq: write.id } },
                replacement: checkDoc(name, write.doc, write.id),
                upsert: true,
              },
            },
      );
    }
    let current = '';
    await this.transaction(async (session) => {
      if (batch.lease) await this.leases.check(batch.lease, session);
      const stored = await this.checkpoints.findOne({ _id: batch.checkpoint }, { session });
      const actual = stored ? BigInt(stored.position) : null;
      if (actual !== batch.expected) throw new CheckpointConflictError(batch.checkpoint, batch.expected, actual);
      const physical = await this.resolveAll([...operations.keys()], session);
      for (const [name, list] of operations) {
        current = name;
        await this.db.collection<Doc>(physical.get(name)!).bulkWrite(list, { session, ordered: true });
      }
      await this.checkpoints.updateOne(
        { _id: batch.checkpoint },
        { $set: { position: batch.next.toString() } },
        { upsert: true, session },
      );
    }).catch((e: unknown) => {
      throw mapWriteError(e, current);
    });
  }

  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    return this.leases.acquire(name, holder, now, ttlMs);
  }

  renewLease(token: LeaseToken, now: number, ttlMs: number): Promise<Lease | null> {
    return this.leases.renew(token, now, ttlMs);
  }

  releaseLease(token: LeaseToken, options: { forget?: boolean } = {}): Promise<void> {
    return this.leases.release(token, options.forget === true);
  }

  listLeases(prefix: string): Promise<Lease[]> {
    return this.leases.list(prefix);
  }

  pruneLeases(prefix: string, before: number): Promise<number> {
    return this.leases.prune(prefix, before);
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
      checkCollectionName(from);
      checkCollectionName(to);
      const physical = await this.resolve(from);
      if ((await this.db.listCollections({ name: physical }, { nameOnly: true }).toArray()).length === 0)
        throw new Error(`promote: collection ${from} does not exist`);
    }
    const garbage: string[] = [];
    await this.transaction(async (session) => {
      garbage.length = 0;
      const names = renames.flatMap((r) => [r.from, r.to]);
      const physical = await this.resolveAll(names, session);
      const pointers = new Map(
        (await this.pointers.find({ _id: { $in: names } }, { session }).toArray()).map((p) => [p._id, p]),
      );
      for (const { from, to } of renames) {
        const previous = pointers.get(to)?.previous;
        if (previous && previous !== physical.get(from)) garbage.push(previous);
        const replaced = physical.get(to)!;
        await this.pointers.replaceOne(
          { _id: to },
          { physical: physical.get(from)!, previous: replaced },
          { upsert: true, session },
        );
        // The shadow's name now starts on a collection of its own (never the one `to` just took).
        await this.pointers.replaceOne({ _id: from }, { physical: freshName(from) }, { upsert: true, session });
      }
      const stored = await this.checkpoints.findOne({ _id: fromCheckpoint }, { session });
      await this.checkpoints.deleteOne({ _id: toCheckpoint }, { session });
      if (stored) await this.checkpoints.insertOne({ _id: toCheckpoint, position: stored.position }, { session });
      await this.checkpoints.deleteOne({ _id: fromCheckpoint }, { session });
    });
    for (const name of garbage) await this.dropPhysical(name);
  }

  async dropCollection(name: string): Promise<void> {
    checkCollectionName(name);
    const pointer = await this.pointers.findOne({ _id: name });
    if (!pointer) return this.dropPhysical(name);
    // A pointer is never removed: without it the name would fall back to a collection another name may hold.
    await this.pointers.replaceOne({ _id: name }, { physical: freshName(name) });
    await this.dropPhysical(pointer.physical);
    if (pointer.previous) await this.dropPhysical(pointer.previous);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.checkpoints.deleteOne({ _id: name });
  }

  async ping(): Promise<void> {
    await withDeadline(
      this.db.command({ ping: 1 }),
      this.pingTimeoutMs,
      `MongoDB did not answer within ${this.pingTimeoutMs} ms`,
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async transaction(work: (session: ClientSession) => Promise<void>): Promise<void> {
    const session = this.client.startSession();
    try {
      await session.withTransaction(() => work(session));
    } finally {
      await session.endSession();
    }
  }

  private async dropPhysical(physical: string): Promise<void> {
    try {
      await this.db.dropCollection(physical);
    } catch (e) {
      if (serverCode(e) !== 26) throw e; // NamespaceNotFound
    }
  }

  /** The MongoDB collection that holds `name`'s documents now. */
  private async resolve(name: string, session?: ClientSession): Promise<string> {
    return (await this.resolveAll([name], session)).get(name)!;
  }

  private async resolveAll(names: string[], session?: ClientSession): Promise<Map<string, string>> {
    const found = new Map<string, string>(names.map((n) => [n, n]));
    if (names.length === 0) return found;
    for (const pointer of await this.pointers.find({ _id: { $in: names } }, { session }).toArray())
      found.set(pointer._id, pointer.physical);
    return found;
  }

  /** A collection's documents; its reads go to a secondary only where the query may read behind (see QueryReads). */
  private async docs(name: string): Promise<Collection<Doc>> {
    const physical = await this.resolve(name);
    const readPreference = readPreferenceFor(this.queryReads, staleReadsAllowed());
    return this.db.collection<Doc>(physical, readPreference ? { readPreference } : {});
  }

  private get checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>('_checkpoints');
  }

  private get pointers(): Collection<PointerDoc> {
    return this.db.collection<PointerDoc>('_collections');
  }
}

/** A collection name no pointer has used: `<name>__v<random>`. */
function freshName(name: string): string {
  return `${name}__v${randomBytes(6).toString('hex')}`;
}

function sortKeysOf(sort: Record<string, 1 | -1>): Record<string, 1 | -1> {
  return toMongoSort(sortKeys(sort));
}
