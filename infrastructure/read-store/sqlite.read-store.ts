/**
 * The embedded read store: one SQLite table per collection, `(id TEXT PRIMARY KEY, doc TEXT)` with the
 * JSON document; filters, sorts and cursors become SQL over the documents (sqlite-filter.ts), and
 * declared indexes become expression indexes on the very same expressions.
 *
 * Writes to a collection that was never ensured create it on the fly (as MongoDB does).
 * Checkpoints live in `_checkpoints` as decimal TEXT (any bigint round-trips); `_array_paths` records
 * which paths of a collection ever held an array (see sqlite-filter.ts); `_unique_paths` the fields of
 * its unique indexes, which must hold scalars (read-store.port.ts).
 *
 * Index names: `ix_<hash of the fields>_<key version>_<random>` for the index that serves reads, and
 * `ux_...` beside it for a unique one. The random part keeps names distinct across tables (SQLite
 * names indexes per database) and through `promote`'s renames; the hash and the version let
 * ensureCollection find the index of the same fields built by an older version, or with another
 * `unique`, and replace it.
 */
import type { Lease, LeaseToken } from '../../application/ports/lease-store.port.js';
import { SqliteLeases } from './sqlite.leases.js';
import { SqliteMultikey, multikeyPath, type MultikeyTables } from './sqlite.multikey.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { WriteHealth } from '../../application/ports/storage-health.port.js';
import { asStorageError, sqliteCode, storageErrorKind } from '../shared/sqlite-errors.js';
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  CheckpointConflictError,
  DuplicateKeyError,
  type IndexSpec,
  type CollectionSpec,
  type CommitBatch,
  type Doc,
  type Filter,
  type Page,
  type PageOptions,
  type ReadCollection,
  type ReadStore,
  type Sort,
} from '../../application/ports/read-store.port.js';
import {
  checkCollectionName,
  checkDoc,
  checkUniqueScalars,
  decodeCursor,
  encodeCursor,
  findLimit,
  listFingerprint,
  pageLimit,
  sortKeys,
} from './cursor.js';
import {
  KEY_VERSION,
  afterSql,
  collectArrayPaths,
  containsFunction,
  filterSql,
  indexColumns,
  numberFunction,
  orderBySql,
  Params,
} from './sqlite-filter.js';

type Statement = Database.Statement;
interface TableStatements {
  upsert: Statement;
  insert: Statement;
  remove: Statement;
}

const quote = (table: string): string => `"${checkCollectionName(table)}"`;
// Duck-typed, not `instanceof Error`: errors from a native addon may come from another realm (as under Jest's VM modules).
const messageOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
    ? (e as Error).message
    : '';
const isMissingTable = (e: unknown): boolean => /no such table/.test(messageOf(e));
const isUnique = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly tables = new Map<string, TableStatements>();
  private readonly queries = new Map<string, Statement>();
  private readonly meta: Record<
    'getCheckpoint' | 'setCheckpoint' | 'deleteCheckpoint' | 'arrayPaths' | 'addArrayPath' | 'uniquePaths',
    Statement
  >;
  private readonly inRead: (run: () => unknown) => unknown;
  private readonly leases: SqliteLeases;
  private readonly multikey: SqliteMultikey;
  private health: WriteHealth = { state: 'ok' };

  /** `file`: a path, or `:memory:`; `logger`: where a disk that fails its writes is said, once. */
  constructor(
    file: string,
    private readonly options: { logger?: Logger } = {},
  ) {
    this.db = new Database(file);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    // Read models can always be rebuilt from the log, and each commit stays atomic (documents and
    // checkpoint together): NORMAL skips the fsync per commit that FULL pays, and a bigger page
    // cache keeps index upkeep in memory during catch-up.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -65536');
    this.db.function('rl_contains', { deterministic: true }, containsFunction);
    this.db.function('rl_num', { deterministic: true }, numberFunction);
    this.db.exec(`CREATE TABLE IF NOT EXISTS _checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS _array_paths (coll TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (coll, path)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS _unique_paths (coll TEXT NOT NULL, idx TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (coll, idx, path)) WITHOUT ROWID;`);
    this.meta = {
      getCheckpoint: this.db.prepare('SELECT position FROM _checkpoints WHERE name = ?').pluck(),
      setCheckpoint: this.db.prepare(
        'INSERT INTO _checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      ),
      deleteCheckpoint: this.db.prepare('DELETE FROM _checkpoints WHERE name = ?'),
      arrayPaths: this.db.prepare('SELECT path FROM _array_paths WHERE coll = ?').pluck(),
      addArrayPath: this.db.prepare('INSERT OR IGNORE INTO _array_paths (coll, path) VALUES (?, ?)'),
      uniquePaths: this.db.prepare('SELECT DISTINCT path FROM _unique_paths WHERE coll = ?').pluck(),
    };
    this.inRead = this.db.transaction((run: () => unknown) => run());
    this.leases = new SqliteLeases(this.db);
    this.multikey = new SqliteMultikey(this.db);
  }

  async acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    return this.leases.acquire(name, holder, now, ttlMs);
  }

  async renewLease(token: LeaseToken, now: number, ttlMs: number): Promise<Lease | null> {
    return this.leases.renew(token, now, ttlMs);
  }

  async releaseLease(token: LeaseToken, options: { forget?: boolean } = {}): Promise<void> {
    this.leases.release(token, options.forget === true);
  }

  async listLeases(prefix: string): Promise<Lease[]> {
    return this.leases.list(prefix);
  }

  async pruneLeases(prefix: string, before: number): Promise<number> {
    return this.leases.prune(prefix, before);
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    const table = quote(spec.name);
    this.uniqueChecked(
      () => spec.name,
      () =>
        this.db
          .transaction(() => {
            this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
            for (const index of spec.indexes ?? []) {
              this.ensureIndex(spec.name, index);
              const path = multikeyPath(index);
              if (path !== null) this.multikey.ensure(spec.name, table, path);
            }
          })
          .immediate(),
    );
    this.tables.delete(spec.name);
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    checkCollectionName(name);
    return {
      findById: async (id) => this.findById<T>(name, id),
      findByIds: async (ids) => this.findByIds<T>(name, ids),
      findOne: async (filter) => this.find<T>(name, filter, {}, 1)[0] ?? null,
      find: async (filter, options = {}) => this.find<T>(name, filter, options.sort ?? {}, findLimit(options.limit)),
      findPage: async (filter, options = {}) => this.findPage<T>(name, filter, options),
      count: async (filter = {}) => this.count(name, filter),
      put: async (doc) =>
        void this.writeDoc(name, doc._id, doc, (s, json) => s.upsert.run(doc._id, json).changes === 1),
      insertIfAbsent: async (doc) =>
        this.writeDoc(name, doc._id, doc, (s, json) => s.insert.run(doc._id, json).changes === 1),
      delete: async (id) => void this.writeDoc(name, id, null, (s) => s.remove.run(id).changes === 1),
    };
  }

  async commit(batch: CommitBatch): Promise<void> {
    if (typeof batch.next !== 'bigint' || (batch.expected !== null && typeof batch.expected !== 'bigint')) {
      throw new TypeError('Checkpoint positions must be bigints');
    }
    for (const write of batch.writes) checkCollectionName(write.collection);
    this.retryingMissingTable(() =>
      this.db
        .transaction(() => {
          if (batch.lease) this.leases.check(batch.lease);
          const actual = this.checkpoint(batch.checkpoint);
          if (actual !== batch.expected) throw new CheckpointConflictError(batch.checkpoint, batch.expected, actual);
          const arrays = new Map<string, Set<string>>();
          const uniques = new Map<string, string[]>();
          const multikeys = new Map<string, MultikeyTables>();
          let current = '';
          this.uniqueChecked(
            () => current,
            () => {
              for (const write of batch.writes) {
                current = write.collection;
                const statements = this.statements(write.collection);
                let multikey = multikeys.get(write.collection);
                if (!multikey) multikeys.set(write.collection, (multikey = this.multikey.tablesOf(write.collection)));
                if (write.doc === null) {
                  statements.remove.run(write.id);
                  this.multikey.write(multikey, write.id, null, '');
                  continue;
                }
                checkDoc(write.collection, write.doc, write.id);
                let paths = uniques.get(write.collection);
                if (!paths) uniques.set(write.collection, (paths = this.uniquePaths(write.collection)));
                checkUniqueScalars(write.collection, write.doc, paths);
                const json = JSON.stringify(write.doc);
                statements.upsert.run(write.id, json);
                this.multikey.write(multikey, write.id, write.doc, json);
                if (!json.includes('[')) continue; // no array anywhere: nothing to record
                let seen = arrays.get(write.collection);
                if (!seen) arrays.set(write.collection, (seen = new Set()));
                collectArrayPaths(write.doc, seen);
              }
            },
          );
          for (const [collection, paths] of arrays)
            for (const path of paths) this.meta.addArrayPath.run(collection, path);
          this.meta.setCheckpoint.run(batch.checkpoint, batch.next.toString());
        })
        .immediate(),
    );
  }

  async getCheckpoint(name: string): Promise<bigint | null> {
    return this.checkpoint(name);
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
    this.db
      .transaction(() => {
        for (const { from, to } of renames) {
          const exists = this.db
            .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
            .get(checkCollectionName(from));
          if (!exists) throw new Error(`promote: collection ${from} does not exist`);
          this.db.exec(`DROP TABLE IF EXISTS ${quote(to)}; ALTER TABLE ${quote(from)} RENAME TO ${quote(to)}`);
          for (const meta of ['_array_paths', '_unique_paths']) {
            this.db.prepare(`DELETE FROM ${meta} WHERE coll = ?`).run(to);
            this.db.prepare(`UPDATE ${meta} SET coll = ? WHERE coll = ?`).run(to, from);
          }
          this.multikey.rename(from, to);
        }
        const position = this.meta.getCheckpoint.get(fromCheckpoint) as string | undefined;
        this.meta.deleteCheckpoint.run(toCheckpoint);
        if (position !== undefined) this.meta.setCheckpoint.run(toCheckpoint, position);
        this.meta.deleteCheckpoint.run(fromCheckpoint);
      })
      .immediate();
    for (const { from, to } of renames) {
      this.tables.delete(from);
      this.tables.delete(to);
    }
  }

  async dropCollection(name: string): Promise<void> {
    this.db
      .transaction(() => {
        this.db.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
        this.db.prepare('DELETE FROM _array_paths WHERE coll = ?').run(name);
        this.db.prepare('DELETE FROM _unique_paths WHERE coll = ?').run(name);
        this.multikey.drop(name);
      })
      .immediate();
    this.tables.delete(name);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.meta.deleteCheckpoint.run(name);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** EXPLAIN QUERY PLAN of the first-page query `findPage(filter, { sort })` would run (for tests and tuning). */
  explain(collection: string, filter: Filter, sort?: Sort): string[] {
    return this.inRead(() => {
      const { sql, params } = this.pageSql(collection, filter, sort, null);
      const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...params, limit: 21 }) as Array<{
        detail: string;
      }>;
      return rows.map((row) => row.detail);
    }) as string[];
  }

  /** One declared index: kept when it is there as declared, else built (and the one it replaces dropped). */
  private ensureIndex(collection: string, index: IndexSpec): void {
    const table = quote(collection);
    const entries = Object.entries(index.fields);
    const unique = !!index.unique;
    const fields = createHash('sha1').update(JSON.stringify(entries)).digest('hex').slice(0, 12);
    const legacy = [false, true].map((u) =>
      createHash('sha1')
        .update(JSON.stringify([entries, u]))
        .digest('hex')
        .slice(0, 12),
    );
    const existing = this.db.prepare('SELECT name FROM pragma_index_list(?)').pluck().all(collection) as string[];
    const current = `_${fields}_${KEY_VERSION}_`;
    let haveIx = false;
    let haveUx = false;
    for (const name of existing) {
      const isCurrent = name.startsWith(`ix${current}`) || name.startsWith(`ux${current}`);
      // eslint-disable-next-line security/detect-non-literal-regexp -- h is a hex digest computed here
      const isLegacy = legacy.some((h) => new RegExp(`^[iu]x_${h}_[0-9a-f]{8}$`).test(name));
      const isOlder = !isCurrent && /^[iu]x_/.test(name) && name.slice(3, 15) === fields;
      if (isCurrent && name.startsWith('ix')) haveIx = true;
      else if (isCurrent && unique) haveUx = true;
      else if (isCurrent || isLegacy || isOlder) this.db.exec(`DROP INDEX "${name}"`); // another unique, or older keys
    }
    const { columns, uniqueColumns } = indexColumns(index);
    const suffix = randomBytes(4).toString('hex');
    if (uniqueColumns && !haveUx)
      this.db.exec(`CREATE UNIQUE INDEX "ux${current}${suffix}" ON ${table} (${uniqueColumns})`);
    if (!haveIx) this.db.exec(`CREATE INDEX "ix${current}${suffix}" ON ${table} (${columns})`);
    this.db.prepare('DELETE FROM _unique_paths WHERE coll = ? AND idx = ?').run(collection, fields);
    if (unique) {
      const add = this.db.prepare('INSERT OR IGNORE INTO _unique_paths (coll, idx, path) VALUES (?, ?, ?)');
      for (const [path] of entries) if (path !== '_id') add.run(collection, fields, path);
    }
  }

  private checkpoint(name: string): bigint | null {
    const position = this.meta.getCheckpoint.get(name) as string | undefined;
    return position === undefined ? null : BigInt(position);
  }

  /** One statement is one snapshot already: no transaction around it (this is every GET of one resource). */
  private findById<T extends Doc>(collection: string, id: string): T | null {
    try {
      const doc = this.prepared(`SELECT doc FROM ${quote(collection)} WHERE id = ?`).get(id) as string | undefined;
      return doc === undefined ? null : (JSON.parse(doc) as T);
    } catch (e) {
      if (isMissingTable(e)) return null;
      throw e;
    }
  }

  private findByIds<T extends Doc>(collection: string, ids: readonly string[]): T[] {
    if (ids.length === 0) return [];
    const sql = `SELECT doc FROM ${quote(collection)} WHERE id IN (SELECT value FROM json_each(@ids))`;
    const docs = this.read(
      () => (this.prepared(sql).all({ ids: JSON.stringify(ids) }) as string[]).map((d) => JSON.parse(d) as T),
      [],
    );
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
  }

  private find<T extends Doc>(collection: string, filter: Filter, sort: Sort, limit?: number): T[] {
    return this.read(() => {
      const params = new Params();
      const { where, pinned } = filterSql(
        filter,
        this.arrayPaths(collection),
        params,
        this.multikey.tablesOf(collection),
      );
      const limitSql = limit === undefined ? '' : ` LIMIT ${limit}`;
      const sql = `SELECT doc FROM ${quote(collection)} WHERE ${where} ${orderBySql(sortKeys(sort), pinned)}${limitSql}`;
      return (this.prepared(sql).all(params.values) as string[]).map((d) => JSON.parse(d) as T);
    }, []);
  }

  private findPage<T extends Doc>(collection: string, filter: Filter, options: PageOptions): Page<T> {
    const limit = pageLimit(options.limit);
    const keys = sortKeys(options.sort);
    const list = listFingerprint(collection, filter, keys);
    const after = options.cursor ? decodeCursor(options.cursor, keys, list) : null;
    const docs = this.read(() => {
      const { sql, params } = this.pageSql(collection, filter, options.sort, after);
      return (this.prepared(sql).all({ ...params, limit: limit + 1 }) as string[]).map((d) => JSON.parse(d) as T);
    }, []);
    const items = docs.slice(0, limit);
    return { items, nextCursor: docs.length > limit ? encodeCursor(items[items.length - 1], keys, list) : null };
  }

  private pageSql(collection: string, filter: Filter, sort: Sort | undefined, after: unknown[] | null) {
    const keys = sortKeys(sort);
    const params = new Params();
    const { where, pinned } = filterSql(
      filter,
      this.arrayPaths(collection),
      params,
      this.multikey.tablesOf(collection),
    );
    const afterWhere = after ? ` AND ${afterSql(keys, after, pinned, params)}` : '';
    const sql = `SELECT doc FROM ${quote(collection)} WHERE (${where})${afterWhere} ${orderBySql(keys, pinned)} LIMIT @limit`;
    return { sql, params: params.values };
  }

  private count(collection: string, filter: Filter): number {
    return this.read(() => {
      const params = new Params();
      const { where } = filterSql(filter, this.arrayPaths(collection), params, this.multikey.tablesOf(collection));
      return this.prepared(`SELECT count(*) FROM ${quote(collection)} WHERE ${where}`).get(params.values) as number;
    }, 0);
  }

  /** A consistent read (one snapshot); a collection that does not exist reads as empty. */
  private read<R>(run: () => R, empty: R): R {
    try {
      return this.inRead(run) as R;
    } catch (e) {
      if (isMissingTable(e)) return empty;
      throw e;
    }
  }

  private uniquePaths(collection: string): string[] {
    return this.meta.uniquePaths.all(collection) as string[];
  }

  private arrayPaths(collection: string): Set<string> {
    return new Set(this.meta.arrayPaths.all(collection) as string[]);
  }

  /** Cached statements of ad-hoc queries (all select one column, plucked). */
  private prepared(sql: string): Statement {
    let statement = this.queries.get(sql);
    if (!statement) {
      if (this.queries.size >= 256) this.queries.delete(this.queries.keys().next().value as string);
      statement = this.db.prepare(sql).pluck();
      this.queries.set(sql, statement);
    }
    return statement;
  }

  private statements(collection: string): TableStatements {
    let statements = this.tables.get(collection);
    if (!statements) {
      const table = quote(collection);
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
      statements = {
        upsert: this.db.prepare(
          `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
        ),
        insert: this.db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`),
        remove: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      };
      this.tables.set(collection, statements);
    }
    return statements;
  }

  /** `write` answers whether it changed the row (an insertIfAbsent of a present id does not). */
  private writeDoc(
    collection: string,
    id: string,
    doc: Doc | null,
    write: (statements: TableStatements, json: string) => boolean,
  ): boolean {
    checkCollectionName(collection);
    const json = doc === null ? '' : JSON.stringify(checkDoc(collection, doc));
    return this.retryingMissingTable(() =>
      this.db
        .transaction(() => {
          if (doc !== null) checkUniqueScalars(collection, doc, this.uniquePaths(collection));
          const result = this.uniqueChecked(
            () => collection,
            () => write(this.statements(collection), json),
          );
          if (result) this.multikey.write(this.multikey.tablesOf(collection), id, doc, json);
          const paths = new Set<string>();
          if (doc !== null && json.includes('[')) collectArrayPaths(doc, paths);
          for (const path of paths) this.meta.addArrayPath.run(collection, path);
          return result;
        })
        .immediate(),
    );
  }

  private uniqueChecked<R>(collection: () => string, run: () => R): R {
    try {
      return run();
    } catch (e) {
      if (isUnique(e)) throw new DuplicateKeyError(collection(), (e as Error).message);
      throw e;
    }
  }

  /** A table dropped by another connection leaves stale cached statements: forget them and retry once. */
  /** How the writes fare: `full` or `failed` from a write the disk failed until a write succeeds again. */
  writeHealth(): WriteHealth {
    return { ...this.health };
  }

  /**
   * Every write goes through here. A disk that failed it (full, an I/O error) is a typed 503
   * StorageFullError / StorageFailedError, and the store's write health says so until a write works.
   * (The read store holds what the log can rebuild, so it does not fail-stop as the event store does.)
   */
  private retryingMissingTable<R>(run: () => R): R {
    try {
      let result: R;
      try {
        result = run();
      } catch (e) {
        if (!isMissingTable(e)) throw e;
        this.tables.clear();
        this.multikey.forget();
        result = run();
      }
      if (this.health.state !== 'ok') {
        this.options.logger?.info('read store writes work again', { since: this.health.since });
        this.health = { state: 'ok' };
      }
      return result;
    } catch (e) {
      const kind = storageErrorKind(e);
      if (kind !== null && this.health.state === 'ok') {
        this.health = {
          state: kind === 'io' ? 'failed' : 'full',
          code: sqliteCode(e),
          since: new Date().toISOString(),
        };
        this.options.logger?.warn(
          kind === 'full'
            ? 'read store disk is full: commands answer 503 STORAGE_FULL until space is freed'
            : 'read store write failed with an I/O error: read models and idempotency keys are not written',
          { code: this.health.code },
        );
      }
      throw asStorageError(e, 'read store');
    }
  }
}
