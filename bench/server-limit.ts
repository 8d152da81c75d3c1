/**
 * The limit of the HTTP comparison: bare Fastify with Rentlog's route schemas (bare-routes.ts) and the
 * least I/O each route needs. POST /v1/orders and POST /v1/products each do ONE durable SQLite append
 * (the document, keyed by its new id; WAL, synchronous=FULL; the appends queued in one tick share one
 * transaction, group commit, as SqliteEventStore does). GET /v1/products/{id} and GET /v1/orders/{id}
 * each do one SELECT by key of a stored JSON document, parsed, then serialized by the response schema.
 * Products are kept in memory too, to price an order's lines without a read. Needs DATA_DIR; prints
 * `{"port":N}` on stdout once listening; on SIGTERM prints `{"stats":{...}}` and exits.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  bareApp,
  orderDocument,
  placedAnswer,
  productDocument,
  serve,
  type Money,
  type PlaceOrderBody,
} from './bare-routes.js';

interface Pending {
  id: string;
  kind: 'product' | 'order';
  doc: string;
  resolve(position: bigint): void;
  reject(error: Error): void;
}

async function main(): Promise<void> {
  if (!process.env.DATA_DIR) throw new Error('DATA_DIR must be set');
  const db = new Database(path.join(process.env.DATA_DIR, 'limit.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE IF NOT EXISTS documents (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, doc TEXT NOT NULL)',
  );
  const insert = db.prepare('INSERT INTO documents (id, kind, doc) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT doc FROM documents WHERE id = ?').pluck();

  let queue: Pending[] = [];
  let transactions = 0;
  let appends = 0;
  const commit = db.transaction((batch: Pending[]) =>
    batch.map((p) => BigInt(insert.run(p.id, p.kind, p.doc).lastInsertRowid)),
  );
  const flush = (): void => {
    const batch = queue;
    queue = [];
    try {
      const positions = commit(batch);
      transactions++;
      appends += batch.length;
      batch.forEach((p, i) => p.resolve(positions[i]));
    } catch (error) {
      for (const p of batch) p.reject(error as Error);
    }
  };
  const append = (id: string, kind: Pending['kind'], doc: object): Promise<bigint> =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ id, kind, doc: JSON.stringify(doc), resolve, reject });
    });

  const products = new Map<
    string,
    { productId: string; sku: string; name: string; dailyRate: Money; deposit: Money }
  >();
  // Restarted on the same DATA_DIR (the comparison starts it each round): the products it registered before.
  for (const doc of db.prepare("SELECT doc FROM documents WHERE kind = 'product'").pluck().all() as string[]) {
    const product = JSON.parse(doc) as ReturnType<typeof productDocument>;
    products.set(product.productId, product);
  }
  const read = (id: string): object | null => {
    const doc = select.get(id) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as object);
  };

  const app = bareApp({
    async registerProduct(body) {
      const productId = randomUUID();
      const doc = productDocument(productId, body, new Date().toISOString());
      const position = await append(productId, 'product', doc);
      products.set(productId, doc);
      return { status: 201, body: { productId, position: String(position) } };
    },
    async placeOrder(body: PlaceOrderBody) {
      const lines = body.items.map((item) => products.get(item.productId));
      if (lines.some((p) => p === undefined))
        return { status: 404, body: { type: 'about:blank', title: 'Product not found', status: 404 } };
      const orderId = randomUUID();
      const now = Date.now();
      const doc = orderDocument(
        orderId,
        body,
        lines as NonNullable<(typeof lines)[number]>[],
        new Date(now).toISOString(),
        new Date(now + 30 * 60_000).toISOString(),
      );
      const position = await append(orderId, 'order', doc);
      return { status: 201, body: placedAnswer(doc, String(position)) };
    },
    getProduct: read,
    getOrder: read,
  });
  await serve(app, 'server-limit', () => {
    db.close();
    return { transactions, appends, appendsPerTransaction: transactions ? appends / transactions : 0 };
  });
}

main().catch((error: Error) => {
  process.stderr.write(`server-limit: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
