/**
 * The trace across the log, in process, with the OpenTelemetry SDK's in-memory exporter: the event
 * codec's append is a producer span whose W3C traceparent each event keeps in its metadata (covered by
 * the hash chain, which still verifies a stream whose older events have none), and a durable
 * subscriber given a tracer makes one consumer span per applied event that has one: a child of the
 * append, linked to it, under which the consumer's work for that event runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { inSpan } from '../../../application/shared/tracing.js';
import { eventSchema } from '../../../domain/events.js';
import { CodedEventStore, EventCodec } from '../../../infrastructure/event-store/event-codec.js';
import { GENESIS_HASH, chainHash, linkOf, type ChainedFields } from '../../../infrastructure/event-store/hash-chain.js';
import { SqliteEventStore } from '../../../infrastructure/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../../../infrastructure/read-store/sqlite.read-store.js';
import { DurableSubscriber } from '../../../projections/runner/durable-subscriber.js';
import { newEvent } from '../../support/fixtures.js';
import { silentLogger } from '../../support/silent-logger.js';

/** As with tracing off: no tracer provider while `fn` runs. */
async function tracingOff(provider: node.NodeTracerProvider, fn: () => Promise<unknown>): Promise<void> {
  trace.disable();
  try {
    await fn();
  } finally {
    trace.setGlobalTracerProvider(provider);
  }
}

const stock = (delta: number) => newEvent({ type: 'ProductStockAdjusted', data: { productId: 'p1', delta, stock: 1 } });

describe('a trace through the event log', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let reads: SqliteReadStore;
  let coded: CodedEventStore;
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });

  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => {
    exporter.reset();
    dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-event-tracing-'));
    raw = new SqliteEventStore(path.join(dir, 'events.db'));
    reads = new SqliteReadStore(path.join(dir, 'read.db'));
    coded = new CodedEventStore(raw, new EventCodec(eventSchema));
  });
  afterEach(async () => {
    await raw.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the append span as traceparent into each event; the chain verifies old and new events', async () => {
    await tracingOff(provider, () => coded.append('product-p1', [stock(1)], 'no_stream'));
    await inSpan('request', {}, () => coded.append('product-p1', [stock(2), stock(3)], 0n));
    const append = exporter.getFinishedSpans().find((s) => s.name === 'append product')!;
    expect(append.kind).toBe(SpanKind.PRODUCER);
    expect(append.attributes).toMatchObject({
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'product-p1',
      'messaging.batch.message_count': 2,
    });
    const { traceId, spanId } = append.spanContext();
    const stored = await raw.readStream('product-p1');
    expect(stored.map((e) => e.metadata.traceparent)).toEqual([
      undefined,
      `00-${traceId}-${spanId}-01`,
      `00-${traceId}-${spanId}-01`,
    ]);
    let prev = GENESIS_HASH;
    for (const event of stored) {
      const link = linkOf(event)!;
      expect(link.prev).toBe(prev);
      expect(chainHash(prev, event as ChainedFields)).toBe(link.hash);
      prev = link.hash;
    }
    // Read back through the codec, the traceparent is metadata like the rest.
    expect((await coded.readStream('product-p1'))[2].metadata.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('gives a subscriber one consumer span per traced event applied, child of and linked to its append', async () => {
    await tracingOff(provider, () => coded.append('product-p1', [stock(1)], 'no_stream'));
    await inSpan('request', {}, () => coded.append('product-p1', [stock(2)], 0n));
    const append = exporter.getFinishedSpans().find((s) => s.name === 'append product')!;
    const tracer = provider.getTracer('test');
    const seen: Array<{ delta: number; traceId?: string; parent?: string }> = [];
    const subscriber = new DurableSubscriber({
      checkpoint: 'stock-watch',
      events: coded,
      store: reads,
      logger: silentLogger,
      tracer,
      types: new Set(['ProductStockAdjusted']),
      handle: async (batch, _park, within) => {
        for (const event of batch)
          await within(event, async () => {
            const active = trace.getActiveSpan()?.spanContext();
            seen.push({ delta: (event.data as { delta: number }).delta, traceId: active?.traceId });
          });
        return [];
      },
    });
    await subscriber.start(await coded.headPosition());
    const consumers = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
    expect(consumers).toHaveLength(1); // the first event carries no trace: no span
    const [consumer] = consumers;
    expect(consumer.name).toBe('process stock-watch');
    expect(consumer.spanContext().traceId).toBe(append.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(append.spanContext().spanId);
    expect(consumer.links.map((l) => l.context.spanId)).toEqual([append.spanContext().spanId]);
    expect(consumer.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'stock-watch',
      'rentlog.event.type': 'ProductStockAdjusted',
    });
    // The consumer's work for the traced event ran inside its span; for the other, in none.
    expect(seen).toEqual([
      { delta: 1, traceId: undefined },
      { delta: 2, traceId: append.spanContext().traceId },
    ]);
  });
});
