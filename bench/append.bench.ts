/**
 * Event store appends/s through SqliteEventStore (sequential, batched, concurrent: where group commit
 * shows), against raw better-sqlite3 inserts of the same rows into the same schema and pragmas.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { NewEvent } from '../application/ports/event-store.port.js';
import { SqliteEventStore } from '../infrastructure/event-store/sqlite.event-store.js';
import { SCHEMA_SQL } from '../infrastructure/event-store/sqlite.schema.js';
import { registration } from './fixtures.js';
import { perSecond, progress, ratio, round } from './support.js';

export interface AppendParams {
  /** Upper bound on each step's duration. */
  maxSecondsPerStep: number;
  sequentialMax: number;
  batchSize: number;
  batchedEvents: number;
  concurrency: number;
  concurrentAppends: number;
}

export const defaultAppendParams: AppendParams = {
  maxSecondsPerStep: 3,
  sequentialMax: 5000,
  batchSize: 100,
  batchedEvents: 50_000,
  concurrency: 64,
  concurrentAppends: 30_000,
};

const pragmas = (db: Database.Database): void => {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
};

function registrations(count: number, offset: number): Array<{ streamId: string; event: NewEvent }> {
  return Array.from({ length: count }, (_, i) => registration(offset + i));
}

export async function benchAppends(dir: string, params: AppendParams = defaultAppendParams) {
  const deadline = () => performance.now() + params.maxSecondsPerStep * 1000;

  // (a) one append at a time, each awaited: one transaction (one fsync) per append.
  progress(
    `appends (a): sequential single-event appends (up to ${params.sequentialMax} or ${params.maxSecondsPerStep}s)`,
  );
  const sequential = await (async () => {
    const store = new SqliteEventStore(path.join(dir, 'append-sequential.db'));
    const input = registrations(params.sequentialMax + 20, 0);
    for (const { streamId, event } of input.slice(0, 20)) await store.append(streamId, [event], 'no_stream'); // warm-up
    const until = deadline();
    const t0 = performance.now();
    let n = 0;
    for (const { streamId, event } of input.slice(20)) {
      await store.append(streamId, [event], 'no_stream');
      n++;
      if (performance.now() > until) break;
    }
    const ms = performance.now() - t0;
    await store.close();
    return { events: n, ms };
  })();

  // (b) batches of events per append call, awaited one after the other.
  progress(`appends (b): batched, ${params.batchSize} events per append (up to ${params.batchedEvents} events)`);
  const batched = await (async () => {
    const store = new SqliteEventStore(path.join(dir, 'append-batched.db'));
    const batches = Math.ceil(params.batchedEvents / params.batchSize);
    const input = Array.from({ length: batches + 1 }, (_, b) => ({
      streamId: `product-batch-${b}`,
      events: registrations(params.batchSize, b * params.batchSize).map((r) => r.event),
    }));
    await store.append(input[0].streamId, input[0].events, 'no_stream'); // warm-up
    const until = deadline();
    const t0 = performance.now();
    let n = 0;
    for (const { streamId, events } of input.slice(1)) {
      await store.append(streamId, events, 'no_stream');
      n += events.length;
      if (performance.now() > until) break;
    }
    const ms = performance.now() - t0;
    await store.close();
    return { events: n, ms };
  })();

  // (c) single-event appends to different streams, `concurrency` in flight: group commit.
  progress(
    `appends (c): concurrent single-event appends, ${params.concurrency} in flight (up to ${params.concurrentAppends})`,
  );
  const concurrent = await (async () => {
    const store = new SqliteEventStore(path.join(dir, 'append-concurrent.db'));
    const input = registrations(params.concurrentAppends + params.concurrency, 0);
    await Promise.all(
      input.slice(0, params.concurrency).map(({ streamId, event }) => store.append(streamId, [event], 'no_stream')),
    ); // warm-up
    const before = store.stats;
    let next = params.concurrency;
    let n = 0;
    const until = deadline();
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      while (next < input.length && performance.now() < until) {
        const { streamId, event } = input[next++];
        await store.append(streamId, [event], 'no_stream');
        n++;
      }
    };
    await Promise.all(Array.from({ length: params.concurrency }, worker));
    const ms = performance.now() - t0;
    const after = store.stats;
    await store.close();
    return { events: n, ms, transactions: after.transactions - before.transactions };
  })();

  // Baselines: the same rows, the same schema and pragmas, straight through better-sqlite3.
  type Row = { streamId: string; revision: bigint; event: NewEvent };
  const raw = (file: string, rowsPerTx: number, input: Row[]) => {
    const db = new Database(path.join(dir, file));
    pragmas(db);
    db.defaultSafeIntegers(true);
    db.exec(SCHEMA_SQL);
    const insert = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const writeBatch = db.transaction((rows: Row[]) => {
      const recordedAt = new Date().toISOString();
      for (const { streamId, revision, event } of rows) {
        insert.run(
          streamId,
          revision,
          event.id,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        );
      }
    });
    const until = deadline();
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < input.length; i += rowsPerTx) {
      const rows = input.slice(i, i + rowsPerTx);
      writeBatch(rows);
      n += rows.length;
      if (performance.now() > until) break;
    }
    const ms = performance.now() - t0;
    db.close();
    return { events: n, ms };
  };
  const distinctStreams = (count: number): Row[] =>
    registrations(count, 0).map(({ streamId, event }) => ({ streamId, revision: 0n, event }));
  progress(
    `appends baseline: raw better-sqlite3 inserts, ${params.batchSize} rows per transaction, one stream per row (rows as in (c))`,
  );
  const rawBatched = raw('raw-batched.db', params.batchSize, distinctStreams(params.concurrentAppends));
  progress(
    `appends baseline: raw better-sqlite3 inserts, ${params.batchSize} rows per transaction, ${params.batchSize} rows per stream (rows as in (b))`,
  );
  const rawBatchedStreams = raw(
    'raw-batched-streams.db',
    params.batchSize,
    registrations(params.batchedEvents, 0).map(({ event }, i) => ({
      streamId: `product-batch-${Math.floor(i / params.batchSize)}`,
      revision: BigInt(i % params.batchSize),
      event,
    })),
  );
  progress('appends baseline: raw better-sqlite3 inserts, 1 row per transaction (rows as in (a))');
  const rawSingle = raw('raw-single.db', 1, distinctStreams(params.sequentialMax));

  const rates = {
    sequential: perSecond(sequential.events, sequential.ms),
    batched: perSecond(batched.events, batched.ms),
    concurrent: perSecond(concurrent.events, concurrent.ms),
    rawBatched: perSecond(rawBatched.events, rawBatched.ms),
    rawBatchedStreams: perSecond(rawBatchedStreams.events, rawBatchedStreams.ms),
    rawSingle: perSecond(rawSingle.events, rawSingle.ms),
  };
  const common = { journalMode: 'WAL', synchronous: 'FULL', eventShape: 'ProductRegistered with application metadata' };
  return {
    measurements: {
      appendSequential: {
        value: rates.sequential,
        unit: 'events/s',
        params: {
          ...common,
          eventsPerAppend: 1,
          inFlight: 1,
          events: sequential.events,
          seconds: round(sequential.ms / 1000, 2),
        },
      },
      appendBatched: {
        value: rates.batched,
        unit: 'events/s',
        params: {
          ...common,
          eventsPerAppend: params.batchSize,
          inFlight: 1,
          events: batched.events,
          seconds: round(batched.ms / 1000, 2),
        },
      },
      appendConcurrent: {
        value: rates.concurrent,
        unit: 'events/s',
        params: {
          ...common,
          eventsPerAppend: 1,
          inFlight: params.concurrency,
          distinctStreams: true,
          events: concurrent.events,
          seconds: round(concurrent.ms / 1000, 2),
          transactions: concurrent.transactions,
          appendsPerTransaction: round(concurrent.events / Math.max(1, concurrent.transactions), 1),
        },
      },
      rawSqliteBatchedInsert: {
        value: rates.rawBatched,
        unit: 'rows/s',
        params: {
          ...common,
          rowsPerTransaction: params.batchSize,
          rowsPerStream: 1,
          rows: rawBatched.events,
          seconds: round(rawBatched.ms / 1000, 2),
          includes: 'JSON.stringify of data and metadata',
          comparesWith: 'appendConcurrent',
        },
      },
      rawSqliteBatchedInsertStreams: {
        value: rates.rawBatchedStreams,
        unit: 'rows/s',
        params: {
          ...common,
          rowsPerTransaction: params.batchSize,
          rowsPerStream: params.batchSize,
          rows: rawBatchedStreams.events,
          seconds: round(rawBatchedStreams.ms / 1000, 2),
          includes: 'JSON.stringify of data and metadata',
          comparesWith: 'appendBatched',
        },
      },
      rawSqliteSingleRowInsert: {
        value: rates.rawSingle,
        unit: 'rows/s',
        params: {
          ...common,
          rowsPerTransaction: 1,
          rows: rawSingle.events,
          seconds: round(rawSingle.ms / 1000, 2),
          comparesWith: 'appendSequential',
        },
      },
    },
    ratios: {
      appendConcurrentVsRaw: ratio(rates.concurrent, rates.rawBatched),
      appendBatchedVsRaw: ratio(rates.batched, rates.rawBatchedStreams),
      appendSequentialVsRawSingleRow: ratio(rates.sequential, rates.rawSingle),
      appendConcurrentVsSequential: ratio(rates.concurrent, rates.sequential),
    },
  };
}
