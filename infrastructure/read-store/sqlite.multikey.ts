import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Doc, IndexSpec } from '../../application/ports/read-store.port.js';
import { elementKey } from './sqlite-filter.js';

/** A collection's multikey tables: field path -> table name. */
export type MultikeyTables = ReadonlyMap<string, string>;

interface TableStatements {
  remove: Database.Statement;
  add: Database.Statement;
}

/** The one-field, top-level, non-unique indexes get a multikey table (a unique index's field holds scalars). */
export function multikeyPath(index: IndexSpec): string | null {
  const entries = Object.keys(index.fields);
  if (index.unique || entries.length !== 1) return null;
  const [path] = entries;
  return path === '_id' || path.includes('.') ? null : path;
}

/**
 * What MongoDB's multikey indexes give, for the SQLite read store: an expression index keys a document
 * by its whole field, so an array field is one key (the array's) and `{ productIds: id }` found its
 * matches only by walking every document with a correlated `json_each`. For a declared one-field index
 * on a top-level field, a table `_mk_<random>` (key, document id) holds one row per scalar element of
 * the field when it holds an array (keys made as the filters make them), kept in the same transaction
 * as the documents; an equality on the field then reads the expression index (scalar values) or this
 * table (array elements). `_multikey` names the tables; the random part survives promote's renames.
 */
export class SqliteMultikey {
  private readonly byCollection: Database.Statement;
  private readonly statements = new Map<string, TableStatements>();

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS _multikey (coll TEXT NOT NULL, path TEXT NOT NULL, tbl TEXT NOT NULL,
      PRIMARY KEY (coll, path)) WITHOUT ROWID`);
    this.byCollection = db.prepare('SELECT path, tbl FROM _multikey WHERE coll = ?');
  }

  /** The collection's tables (read in the caller's transaction: every connection sees the same). */
  tablesOf(collection: string): MultikeyTables {
    const rows = this.byCollection.all(collection) as Array<{ path: string; tbl: string }>;
    return new Map(rows.map((r) => [r.path, r.tbl]));
  }

  /** The table of `collection`'s `path`, made and filled from its documents when missing (in the caller's transaction). */
  ensure(collection: string, table: string, path: string): void {
    if (this.tablesOf(collection).has(path)) return;
    const tbl = `_mk_${randomBytes(6).toString('hex')}`;
    const field = `'$.${path}'`;
    this.db.exec(`CREATE TABLE "${tbl}" (k, id TEXT NOT NULL, PRIMARY KEY (k, id)) WITHOUT ROWID;
      CREATE INDEX "${tbl}_id" ON "${tbl}" (id);
      INSERT OR IGNORE INTO "${tbl}" (k, id) SELECT ${elementKey('j', 'o.doc')}, o.id FROM ${table} AS o,
        json_each(o.doc, ${field}) AS j
        WHERE json_type(o.doc, ${field}) = 'array' AND j.type NOT IN ('object', 'array', 'null')`);
    this.db.prepare('INSERT INTO _multikey (coll, path, tbl) VALUES (?, ?, ?)').run(collection, path, tbl);
  }

  /** After a document was written (or deleted, `doc` null): its rows in each of the collection's tables. */
  write(tables: MultikeyTables, id: string, doc: Doc | null, json: string): void {
    for (const [path, tbl] of tables) {
      const s = this.prepared(tbl, path);
      s.remove.run(id);
      if (doc !== null && Array.isArray(doc[path])) s.add.run({ id, doc: json });
    }
  }

  /** promote: `from`'s tables become `to`'s (in the caller's transaction). */
  rename(from: string, to: string): void {
    this.drop(to);
    this.db.prepare('UPDATE _multikey SET coll = ? WHERE coll = ?').run(to, from);
  }

  /** The collection's tables dropped (in the caller's transaction). */
  drop(collection: string): void {
    for (const tbl of this.tablesOf(collection).values()) {
      this.db.exec(`DROP TABLE IF EXISTS "${tbl}"`);
      this.statements.delete(tbl);
    }
    this.db.prepare('DELETE FROM _multikey WHERE coll = ?').run(collection);
  }

  /** Statements of tables another connection dropped fail once: forget them. */
  forget(): void {
    this.statements.clear();
  }

  private prepared(tbl: string, path: string): TableStatements {
    let s = this.statements.get(tbl);
    if (!s) {
      s = {
        remove: this.db.prepare(`DELETE FROM "${tbl}" WHERE id = ?`),
        add: this.db.prepare(
          `INSERT OR IGNORE INTO "${tbl}" (k, id) SELECT ${elementKey('j', '@doc')}, @id
           FROM json_each(@doc, '$.${path}') AS j WHERE j.type NOT IN ('object', 'array', 'null')`,
        ),
      };
      this.statements.set(tbl, s);
    }
    return s;
  }
}
