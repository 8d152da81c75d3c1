/**
 * The Emmett peer of the HTTP comparison: the same four routes, schemas and ajv settings as the limit
 * (../bare-routes.ts), on Emmett 0.42 (`@event-driven-io/emmett` 0.42.0, `@event-driven-io/emmett-sqlite`
 * 0.42.4, installed in bench/emmett/node_modules by `npm run bench`, never a dependency of Rentlog).
 *
 * - POST /v1/products appends `ProductRegistered` to `product-<id>`; an inline projection (run by
 *   Emmett in the append's transaction) inserts the product document, its SKU unique (a taken SKU is
 *   a 409).
 * - POST /v1/orders decides from each product's stream (aggregateStream: registered, active, stock
 *   >= quantity), then appends `OrderPlaced` to `order-<id>`; an inline projection inserts the order
 *   document. Unlike Rentlog it records no hold on the product stream (the use case as the issue names
 *   it: decide from the product's stream, append to the order stream).
 * - GET /v1/products/{id} and GET /v1/orders/{id} read the projected document by key, parsed, then
 *   serialized by the response schema.
 *
 * Emmett's published 0.42.x needs three things to stay correct under concurrency (PERF-NOTES): its
 * append bumps the stream position and then, on a version conflict, returns without rolling back (the
 * position is corrupted), and its connection sets WAL with an unawaited statement that races the first
 * ones. So: WAL is set on the file before Emmett opens it, every operation shares ONE connection (a pool
 * with `singleton: true`), and every write runs under Emmett's InProcessLock (one write at a time: the
 * connection's transaction nesting is shared, so concurrent writes would join each other's transaction).
 * Reads go to the same connection without the lock. Durability: synchronous=FULL on that connection.
 *
 * Needs DATA_DIR; prints `{"port":N}` on stdout once listening; on SIGTERM prints `{"stats":{...}}`.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bareApp,
  orderDocument,
  placedAnswer,
  productDocument,
  serve,
  type Money,
  type PlaceOrderBody,
  type RegisterProductBody,
} from '../bare-routes.js';

// The parts of Emmett's API used here (its packages live in bench/emmett/node_modules, outside the
// project's dependencies, so their types are not at hand for the typecheck).
interface EmmettEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}
interface SQLiteConnection {
  close(): void;
  command(sql: string, values?: unknown[]): Promise<unknown>;
  querySingle<T>(sql: string, values?: unknown[]): Promise<T | null>;
}
interface SQLiteEventStore {
  aggregateStream<S>(
    stream: string,
    options: { evolve: (state: S, event: EmmettEvent) => S; initialState: () => S },
  ): Promise<{ state: S; currentStreamVersion: bigint; streamExists: boolean }>;
  appendToStream(
    stream: string,
    events: EmmettEvent[],
    options?: { expectedStreamVersion?: bigint | string },
  ): Promise<{ nextExpectedStreamVersion: bigint; lastEventGlobalPosition: bigint }>;
  schema: { migrate(): Promise<void> };
}
interface EmmettSqlite {
  sqliteConnection(options: { fileName: string }): SQLiteConnection;
  SQLiteConnectionPool(options: {
    fileName: string;
    connectionOptions: { singleton: true; connection: SQLiteConnection };
  }): unknown;
  getSQLiteEventStore(options: { fileName: string; pool: unknown; projections: unknown[] }): SQLiteEventStore;
  sqliteRawSQLProjection(options: {
    canHandle: string[];
    initSQL: string | string[];
    evolve: (event: EmmettEvent) => string | string[];
  }): unknown;
}
interface EmmettCore {
  InProcessLock(): { withAcquire<R>(handle: () => Promise<R>, options: { lockId: string }): Promise<R> };
  inlineProjections(definitions: unknown[]): unknown[];
  STREAM_DOES_NOT_EXIST: string;
}
interface Sqlite3 {
  Database: new (file: string) => {
    exec(sql: string, callback: (error: Error | null) => void): void;
    close(callback: (error: Error | null) => void): void;
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled to dist/bench/emmett/: the peer's install is in bench/emmett/node_modules of the project.
const peer = createRequire(path.resolve(here, '../../../bench/emmett/package.json'));
const emmett = peer('@event-driven-io/emmett') as EmmettCore;
const emmettSqlite = peer('@event-driven-io/emmett-sqlite') as EmmettSqlite;
const sqlite3 = peer('sqlite3') as Sqlite3;

type ProductDoc = ReturnType<typeof productDocument>;
type ProductRegistered = EmmettEvent<'ProductRegistered', ProductDoc>;
type OrderPlaced = EmmettEvent<'OrderPlaced', ReturnType<typeof orderDocument>>;
type ProductState = { product: ProductDoc | null };

/** A literal for raw SQL (Emmett's raw SQL projections answer SQL text, not statements with parameters). */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function setWal(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file);
    db.exec('PRAGMA journal_mode = WAL', (error) =>
      db.close((closeError) => ((error ?? closeError) ? reject(error ?? closeError) : resolve())),
    );
  });
}

async function main(): Promise<void> {
  if (!process.env.DATA_DIR) throw new Error('DATA_DIR must be set');
  const fileName = path.join(process.env.DATA_DIR, 'emmett.db');
  await setWal(fileName);
  const connection = emmettSqlite.sqliteConnection({ fileName });
  await connection.command('PRAGMA synchronous = FULL');
  const pool = emmettSqlite.SQLiteConnectionPool({ fileName, connectionOptions: { singleton: true, connection } });

  const products = emmettSqlite.sqliteRawSQLProjection({
    canHandle: ['ProductRegistered'],
    initSQL: 'CREATE TABLE IF NOT EXISTS products (id TEXT PRIMARY KEY, sku TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)',
    evolve: (event) => {
      const doc = (event as ProductRegistered).data;
      return `INSERT INTO products (id, sku, doc) VALUES (${literal(doc.productId)}, ${literal(doc.sku)}, ${literal(JSON.stringify(doc))})`;
    },
  });
  const orders = emmettSqlite.sqliteRawSQLProjection({
    canHandle: ['OrderPlaced'],
    initSQL: 'CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, doc TEXT NOT NULL)',
    evolve: (event) => {
      const doc = (event as OrderPlaced).data;
      return `INSERT INTO orders (id, doc) VALUES (${literal(doc.orderId)}, ${literal(JSON.stringify(doc))})`;
    },
  });
  const store = emmettSqlite.getSQLiteEventStore({
    fileName,
    pool,
    projections: emmett.inlineProjections([products, orders]),
  });
  await store.schema.migrate();
  const lock = emmett.InProcessLock();
  const exclusive = <R>(work: () => Promise<R>): Promise<R> => lock.withAcquire(work, { lockId: 'sqlite' });

  const evolve = (state: ProductState, event: EmmettEvent): ProductState =>
    event.type === 'ProductRegistered' ? { product: (event as ProductRegistered).data } : state;
  const productState = (productId: string) =>
    store.aggregateStream<ProductState>(`product-${productId}`, { evolve, initialState: () => ({ product: null }) });

  let writes = 0;
  const read = async (table: 'products' | 'orders', id: string): Promise<object | null> => {
    const row = await connection.querySingle<{ doc: string }>(`SELECT doc FROM ${table} WHERE id = ?`, [id]);
    return row ? (JSON.parse(row.doc) as object) : null;
  };
  const problem = (status: number, code: string) => ({
    status,
    body: { type: 'about:blank', title: code, status, code },
  });

  const app = bareApp({
    registerProduct: (body: RegisterProductBody) =>
      exclusive(async () => {
        const productId = randomUUID();
        const doc = productDocument(productId, body, new Date().toISOString());
        try {
          const r = await store.appendToStream(`product-${productId}`, [{ type: 'ProductRegistered', data: doc }], {
            expectedStreamVersion: emmett.STREAM_DOES_NOT_EXIST,
          });
          writes++;
          return { status: 201, body: { productId, position: String(r.lastEventGlobalPosition) } };
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT') return problem(409, 'SKU_TAKEN');
          throw error;
        }
      }),
    placeOrder: (body: PlaceOrderBody) =>
      exclusive(async () => {
        const lines: Array<{ productId: string; sku: string; name: string; dailyRate: Money; deposit: Money }> = [];
        for (const item of body.items) {
          const { state } = await productState(item.productId);
          if (!state.product?.active || state.product.stock < item.quantity) return problem(409, 'UNITS_UNAVAILABLE');
          lines.push(state.product);
        }
        const orderId = randomUUID();
        const now = Date.now();
        const doc = orderDocument(
          orderId,
          body,
          lines,
          new Date(now).toISOString(),
          new Date(now + 30 * 60_000).toISOString(),
        );
        const r = await store.appendToStream(`order-${orderId}`, [{ type: 'OrderPlaced', data: doc }], {
          expectedStreamVersion: emmett.STREAM_DOES_NOT_EXIST,
        });
        writes++;
        return { status: 201, body: placedAnswer(doc, String(r.lastEventGlobalPosition)) };
      }),
    getProduct: (id) => read('products', id),
    getOrder: (id) => read('orders', id),
  });
  const synchronous = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
  const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
  await serve(app, 'server-emmett', () => {
    connection.close();
    return { writes, synchronous: synchronous?.synchronous, journalMode: journal?.journal_mode };
  });
}

main().catch((error: Error) => {
  process.stderr.write(`server-emmett: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
