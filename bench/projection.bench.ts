/**
 * Projection catch-up: ProjectionRunner over a log of product events (SqliteEventStore) into a
 * SqliteReadStore, against raw batched SQLite upserts of the same documents (one per event).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { numberFunction } from '../infrastructure/read-store/sqlite-filter.js';
import type { Doc } from '../application/ports/read-store.port.js';
import type { EventMetadata, Recorded } from '../application/ports/event-store.port.js';
import type { ProductEvent } from '../domain/product/product.events.js';
import { SqliteEventStore } from '../infrastructure/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../infrastructure/read-store/sqlite.read-store.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { productsProjection } from '../projections/product/products.projection.js';
import { ProjectionRunner } from '../projections/runner/projection-runner.js';
import { rebuildProjection } from '../projections/runner/rebuild.js';
import { SystemClock } from '../infrastructure/clock/system.clock.js';
import type { Projection } from '../projections/runner/projection.js';
import { productEventLog, type PlannedEvent } from './fixtures.js';
import { perSecond, progress, ratio, round } from './support.js';

export interface ProjectionParams {
  products: number;
  updates: number;
  batchSize: number;
  /** Appends queued per group commit while seeding the log. */
  seedChunk: number;
}

export const defaultProjectionParams: ProjectionParams = {
  products: 50_000,
  updates: 150_000,
  batchSize: 2000,
  seedChunk: 10_000,
};

async function seed(events: SqliteEventStore, log: PlannedEvent[], chunk: number): Promise<void> {
  for (let i = 0; i < log.length; i += chunk) {
    // All appends of a chunk are queued in the same tick: the store commits them in one transaction, in order.
    await Promise.all(
      log
        .slice(i, i + chunk)
        .map(({ streamId, revision, event }) =>
          events.append(streamId, [event], revision === 0 ? 'no_stream' : BigInt(revision - 1)),
        ),
    );
  }
}

/** The documents the projection produces, one per event (the state after that event), as the runner stamps them. */
function documentsPerEvent(log: PlannedEvent[]): Array<{ id: string; doc: Doc }> {
  const current = new Map<string, Doc>();
  return log.map(({ streamId, revision, event }, i) => {
    const recorded = {
      id: event.id,
      streamId,
      revision: BigInt(revision),
      position: BigInt(i + 1),
      type: event.type,
      data: event.data,
      metadata: { ...event.metadata, schemaVersion: 1 } as EventMetadata,
      recordedAt: (event.metadata as EventMetadata).occurredAt,
    } as Recorded<ProductEvent>;
    const id = productsProjection.keys(recorded)[0];
    const next = productsProjection.apply((current.get(id) as never) ?? null, recorded, id);
    if (!next) throw new Error(`projection produced no document for event ${i}`);
    const doc: Doc = { ...next, _id: id, _position: String(i + 1) };
    current.set(id, doc);
    return { id, doc };
  });
}

function rawUpserts(file: string, docs: Array<{ id: string; doc: Doc }>, batchSize: number): number {
  const db = new Database(file);
  db.function('rl_num', { deterministic: true }, numberFunction); // the read store's index expressions use it
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // as SqliteReadStore: read models are rebuilt from the log, not fsynced per commit
  db.pragma('cache_size = -65536');
  db.exec('CREATE TABLE IF NOT EXISTS products (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  const upsert = db.prepare(
    'INSERT INTO products (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
  );
  const writeBatch = db.transaction((rows: typeof docs) => {
    for (const { id, doc } of rows) upsert.run(id, JSON.stringify(doc));
  });
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += batchSize) writeBatch(docs.slice(i, i + batchSize));
  const ms = performance.now() - t0;
  const rows = (db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
  db.close();
  if (rows !== new Set(docs.map((d) => d.id)).size) throw new Error(`raw upsert wrote ${rows} documents`);
  return ms;
}

/** What an analyst's `projections rebuild` runs: from position zero into a shadow, indexes built at the end, then promoted. */
async function rebuild(events: SqliteEventStore, projection: Projection, file: string, batchSize: number) {
  const store = new SqliteReadStore(file);
  let commits = 0;
  const t0 = performance.now();
  await rebuildProjection({
    projection,
    events,
    store,
    logger: createLogger('bench', { silent: true }),
    clock: new SystemClock(),
    batchSize,
    onProgress: () => commits++,
  });
  const ms = performance.now() - t0;
  const documents = await store.collection(projection.collection).count();
  await store.close();
  return { ms, commits, documents, lastError: null as string | null };
}

async function catchUp(
  events: SqliteEventStore,
  head: bigint,
  projection: Projection,
  file: string,
  batchSize: number,
) {
  const store = new SqliteReadStore(file);
  const runner = new ProjectionRunner({
    projection,
    events,
    store,
    logger: createLogger('bench', { silent: true }),
    batchSize,
  });
  let commits = 0;
  runner.on('checkpoint', () => commits++);
  const t0 = performance.now();
  await runner.start(head);
  const ms = performance.now() - t0;
  await runner.stop();
  const documents = await store.collection(projection.collection).count();
  const lastError = runner.lastError;
  await store.close();
  return { ms, commits, documents, lastError };
}

export async function benchProjection(dir: string, params: ProjectionParams = defaultProjectionParams) {
  const total = params.products + params.updates;
  progress(
    `projection: generating ${total} product events (${params.products} registered, ${params.updates} repriced/stock-adjusted)`,
  );
  const log = productEventLog(params.products, params.updates);

  progress(`projection: seeding the event store (${params.seedChunk} concurrent appends per chunk)`);
  const events = new SqliteEventStore(path.join(dir, 'projection-events.db'));
  const t0 = performance.now();
  await seed(events, log, params.seedChunk);
  const seedMs = performance.now() - t0;
  const head = await events.headPosition();
  if (head !== BigInt(total)) throw new Error(`expected head ${total}, found ${head}`);
  progress(`projection: seeded ${total} events in ${(seedMs / 1000).toFixed(1)}s`);

  // Diagnostic: what reading the log alone costs (pages of batchSize, rows parsed into RecordedEvents).
  progress('projection: scanning the log with readAll (diagnostic)');
  const scanT0 = performance.now();
  let after = 0n;
  let scanned = 0;
  for (;;) {
    const page = await events.readAll({ after, maxCount: params.batchSize });
    if (page.length === 0) break;
    scanned += page.length;
    after = page[page.length - 1].position;
  }
  const scanMs = performance.now() - scanT0;

  progress(`projection: rebuild(products) from 0 to ${head}, batchSize ${params.batchSize}`);
  const main = await rebuild(events, productsProjection, path.join(dir, 'projection-read.db'), params.batchSize);
  progress('projection diagnostic: a live ProjectionRunner catching up with its indexes kept up on every write');
  const live = await catchUp(
    events,
    head,
    productsProjection,
    path.join(dir, 'projection-read-live.db'),
    params.batchSize,
  );
  if (main.documents !== params.products)
    throw new Error(`projection wrote ${main.documents} documents, expected ${params.products}`);
  progress(`projection: runner took ${(main.ms / 1000).toFixed(1)}s (${main.commits} commits)`);

  // Diagnostic: the same runner and projection without its declared indexes (what index upkeep costs).
  progress('projection diagnostic: the same catch-up with the products indexes left out');
  const bare = await catchUp(
    events,
    head,
    { ...productsProjection, indexes: [] },
    path.join(dir, 'projection-read-noindex.db'),
    params.batchSize,
  );
  await events.close();
  const { ms: runnerMs, commits, documents, lastError } = main;

  progress('projection baseline: raw batched upserts of the same documents (one per event)');
  const docs = documentsPerEvent(log);
  const rawMs = rawUpserts(path.join(dir, 'raw-upsert.db'), docs, params.batchSize);

  // Diagnostic: the same raw upserts, but into a table carrying the projection's declared indexes.
  progress('projection diagnostic: raw upserts into a table with the products indexes');
  const indexedFile = path.join(dir, 'raw-upsert-indexed.db');
  const indexed = new SqliteReadStore(indexedFile);
  await indexed.ensureCollection({ name: 'products', indexes: productsProjection.indexes });
  await indexed.close();
  const rawIndexedMs = rawUpserts(indexedFile, docs, params.batchSize);

  const rates = {
    runner: perSecond(total, runnerMs),
    raw: perSecond(docs.length, rawMs),
    rawIndexed: perSecond(docs.length, rawIndexedMs),
    runnerNoIndexes: perSecond(total, bare.ms),
    liveRunner: perSecond(total, live.ms),
    seed: perSecond(total, seedMs),
    scan: perSecond(scanned, scanMs),
  };
  return {
    measurements: {
      projectionCatchUp: {
        value: rates.runner,
        unit: 'events/s',
        params: {
          projection: 'products',
          events: total,
          registered: params.products,
          updates: params.updates,
          batchSize: params.batchSize,
          commits,
          documents,
          seconds: round(runnerMs / 1000, 2),
          how: 'rebuildProjection: ProjectionRunner into a shadow collection, indexes built once at the end, then promoted',
          eventStore: 'SqliteEventStore',
          readStore: 'SqliteReadStore (WAL, synchronous=NORMAL)',
          lastError,
        },
      },
      projectionCatchUpLiveWithIndexes: {
        value: rates.liveRunner,
        unit: 'events/s',
        params: {
          diagnostic: true,
          what: 'a live ProjectionRunner from 0 with the indexes in place from the start',
          events: total,
          batchSize: params.batchSize,
          commits: live.commits,
          seconds: round(live.ms / 1000, 2),
        },
      },
      projectionCatchUpWithoutIndexes: {
        value: rates.runnerNoIndexes,
        unit: 'events/s',
        params: {
          diagnostic: true,
          what: 'the same ProjectionRunner catch-up with productsProjection.indexes replaced by []',
          events: total,
          batchSize: params.batchSize,
          commits: bare.commits,
          documents: bare.documents,
          seconds: round(bare.ms / 1000, 2),
        },
      },
      rawUpsert: {
        value: rates.raw,
        unit: 'rows/s',
        params: {
          rows: docs.length,
          documents: params.products,
          rowsPerTransaction: params.batchSize,
          table: '(id TEXT PRIMARY KEY, doc TEXT NOT NULL), no secondary index',
          journalMode: 'WAL',
          synchronous: 'NORMAL (as the read store)',
          includes: 'JSON.stringify of each document',
          seconds: round(rawMs / 1000, 2),
        },
      },
      rawUpsertWithProjectionIndexes: {
        value: rates.rawIndexed,
        unit: 'rows/s',
        params: {
          diagnostic: true,
          rows: docs.length,
          rowsPerTransaction: params.batchSize,
          table: 'created by SqliteReadStore.ensureCollection with productsProjection.indexes',
          seconds: round(rawIndexedMs / 1000, 2),
        },
      },
      seedConcurrentAppend: {
        value: rates.seed,
        unit: 'events/s',
        params: {
          diagnostic: true,
          events: total,
          appendsQueuedPerGroupCommit: params.seedChunk,
          expectedRevision: 'exact',
          seconds: round(seedMs / 1000, 2),
        },
      },
      eventLogScan: {
        value: rates.scan,
        unit: 'events/s',
        params: {
          diagnostic: true,
          method: 'SqliteEventStore.readAll',
          pageSize: params.batchSize,
          events: scanned,
          seconds: round(scanMs / 1000, 2),
        },
      },
    },
    ratios: {
      projectionVsRawUpsert: ratio(rates.runner, rates.raw),
      projectionVsRawUpsertWithIndexes: ratio(rates.runner, rates.rawIndexed),
      projectionWithoutIndexesVsRawUpsert: ratio(rates.runnerNoIndexes, rates.raw),
    },
  };
}
