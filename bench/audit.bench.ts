/**
 * The audit: verifying the hash chains (ChainAudit.verify over a log written through the codec)
 * against reading the same log raw, and the NDJSON export (what GET /v1/audit/events streams and
 * `npm run export` writes) against reading and serializing the log raw, with the heap it holds at
 * a tenth of the log and at all of it.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { eventsInRange } from '../application/audit/audit.queries.js';
import type { EventStore } from '../application/ports/event-store.port.js';
import { eventSchema } from '../domain/events.js';
import { ChainAudit } from '../infrastructure/audit/chain-audit.js';
import { Ed25519AuditSigner, keyFileAuditKey } from '../infrastructure/audit/ed25519.signer.js';
import { SystemClock } from '../infrastructure/clock/system.clock.js';
import { CodedEventStore, EventCodec } from '../infrastructure/event-store/event-codec.js';
import { SqliteEventStore } from '../infrastructure/event-store/sqlite.event-store.js';
import { productEventLog, type PlannedEvent } from './fixtures.js';
import { perSecond, progress, ratio, round, timed } from './support.js';

export interface AuditParams {
  /** Events of the log that is verified. */
  verifyEvents: number;
  /** Events of the log that is exported. */
  exportEvents: number;
}

export const defaultAuditParams: AuditParams = {
  verifyEvents: Number(process.env.BENCH_AUDIT_VERIFY_EVENTS ?? 200_000),
  exportEvents: Number(process.env.BENCH_AUDIT_EXPORT_EVENTS ?? 1_000_000),
};

const CHUNK = 10_000;

async function seed(events: EventStore, log: PlannedEvent[]): Promise<void> {
  for (let i = 0; i < log.length; i += CHUNK) {
    await Promise.all(
      log
        .slice(i, i + CHUNK)
        .map(({ streamId, revision, event }) =>
          events.append(streamId, [event], revision === 0 ? 'no_stream' : BigInt(revision - 1)),
        ),
    );
  }
}

async function readRaw(store: EventStore, serialize: (line: string) => void = () => undefined): Promise<number> {
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    for (const event of page) {
      serialize(
        `${JSON.stringify({ ...event, revision: Number(event.revision), position: String(event.position) })}\n`,
      );
      after = event.position;
      count++;
    }
    if (page.length < 1000) return count;
  }
}

/** A sink that counts what it is given, and samples the heap as the export goes. */
function countingSink(): { sink: Writable; bytes: () => number; peakHeapMb: () => number } {
  let bytes = 0;
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  let writes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (++writes % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      done();
    },
  });
  // What the export added to the heap at its peak (garbage not yet collected included).
  return { sink, bytes: () => bytes, peakHeapMb: () => round((peak - start) / 1024 / 1024) };
}

async function exportNdjson(store: EventStore, toPosition?: bigint) {
  const { sink, bytes, peakHeapMb } = countingSink();
  const { ms } = await timed(() =>
    pipeline(
      Readable.from(
        (async function* () {
          for await (const event of eventsInRange(store, {
            ...(toPosition === undefined ? {} : { toPosition: String(toPosition) }),
          }))
            yield `${JSON.stringify(event)}\n`;
        })(),
      ),
      sink,
    ),
  );
  return { ms, bytes: bytes(), peakHeapMb: peakHeapMb() };
}

export async function benchAudit(dir: string, params: AuditParams = defaultAuditParams) {
  const codec = new EventCodec(eventSchema);
  // Verify: a log written through the codec (chained), verified, against reading it raw.
  const verifyRaw = new SqliteEventStore(path.join(dir, 'verify.db'));
  const chained = new CodedEventStore(verifyRaw, codec);
  progress(`audit: writing ${params.verifyEvents} chained events`);
  await seed(
    chained,
    productEventLog(Math.floor(params.verifyEvents / 4), params.verifyEvents - Math.floor(params.verifyEvents / 4)),
  );
  const audit = new ChainAudit(verifyRaw, new Ed25519AuditSigner(keyFileAuditKey(dir)), new SystemClock());
  const read = await timed(() => readRaw(verifyRaw));
  const verified = await timed(() => audit.verify());
  if (!verified.result.ok) throw new Error(`bench log does not verify: ${JSON.stringify(verified.result.firstBroken)}`);
  const drafted = await timed(() => audit.draftCheckpoint());
  progress(`audit: verified ${verified.result.checkedEvents} events in ${round(verified.ms / 1000)} s`);
  await verifyRaw.close();

  // Export: a log of exportEvents, streamed as NDJSON through the codec, against raw read + stringify.
  const exportRaw = new SqliteEventStore(path.join(dir, 'export.db'));
  progress(`audit: writing ${params.exportEvents} events to export`);
  await seed(
    exportRaw,
    productEventLog(Math.floor(params.exportEvents / 4), params.exportEvents - Math.floor(params.exportEvents / 4), 7),
  );
  const coded = new CodedEventStore(exportRaw, codec);
  const tenth = await exportNdjson(coded, BigInt(Math.floor(params.exportEvents / 10)));
  const all = await exportNdjson(coded);
  const rawSink = countingSink();
  const raw = await timed(() => readRaw(exportRaw, (line) => rawSink.sink.write(line)));
  await exportRaw.close();
  progress(
    `audit: exported ${params.exportEvents} events in ${round(all.ms / 1000)} s, heap growth at its peak ${all.peakHeapMb} MB`,
  );

  const verifyRate = perSecond(verified.result.checkedEvents, verified.ms);
  const rawReadRate = perSecond(read.result, read.ms);
  const exportRate = perSecond(params.exportEvents, all.ms);
  const rawExportRate = perSecond(raw.result, raw.ms);
  return {
    measurements: {
      auditVerify: { value: verifyRate, unit: 'events/s', params: { events: verified.result.checkedEvents } },
      auditRawRead: { value: rawReadRate, unit: 'events/s', params: { events: read.result } },
      auditCheckpointDraft: { value: round(drafted.ms), unit: 'ms', params: { chains: drafted.result?.chains } },
      auditExportNdjson: {
        value: exportRate,
        unit: 'events/s',
        params: { events: params.exportEvents, megabytes: round(all.bytes / 1024 / 1024) },
      },
      auditRawExport: { value: rawExportRate, unit: 'events/s', params: { events: raw.result } },
      auditRawExportHeapGrowth: { value: rawSink.peakHeapMb(), unit: 'MB', params: { events: raw.result } },
      auditExportHeapGrowthAtTenth: {
        value: tenth.peakHeapMb,
        unit: 'MB',
        params: { events: params.exportEvents / 10 },
      },
      auditExportHeapGrowthAtAll: { value: all.peakHeapMb, unit: 'MB', params: { events: params.exportEvents } },
    },
    ratios: {
      verifyVsRawRead: ratio(verifyRate, rawReadRate),
      exportVsRawReadStringify: ratio(exportRate, rawExportRate),
      exportHeapVsRawReadStringify: ratio(Math.max(all.peakHeapMb, 0.1), Math.max(rawSink.peakHeapMb(), 0.1)),
    },
  };
}
