import { SpanKind, context, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { RecordedEvent } from '../../application/ports/event-store.port.js';
import { contextOfTraceparent, failSpan, withTracer } from '../../application/shared/tracing.js';

/** Runs `fn` inside the span of `event` (when it has one): what a workflow sends for it continues its trace. */
export type InEventSpan = <T>(event: RecordedEvent, fn: () => Promise<T>) => Promise<T>;

export interface EventSpans {
  within: InEventSpan;
  /** A failed attempt of the batch (it is retried): noted on each span. */
  attemptFailed(error: unknown): void;
  /** Ends every span: committed, or (with an error) given up. */
  end(error?: unknown): void;
}

export const untraced: InEventSpan = (_event, fn) => fn();

/**
 * One span per event a consumer applies (`process <checkpoint>`, kind CONSUMER, OpenTelemetry's
 * messaging conventions), from the batch's start until its commit, for the events whose metadata
 * carries a `traceparent` (written with tracing on): a child of the append that wrote the event, so
 * the request's trace goes on through the projector and the worker, and linked to it as the
 * conventions ask of consumers. Events without one (tracing was off, older events) get no span.
 */
export function startEventSpans(
  tracer: Tracer,
  checkpoint: string,
  batch: RecordedEvent[],
  types?: ReadonlySet<string>,
): EventSpans | undefined {
  let spans: Map<RecordedEvent, { span: Span; ctx: Context }> | undefined;
  for (const event of batch) {
    if (types && !types.has(event.type)) continue;
    const parent = contextOfTraceparent(event.metadata.traceparent);
    if (!parent) continue;
    const span = tracer.startSpan(
      `process ${checkpoint}`,
      {
        kind: SpanKind.CONSUMER,
        links: [{ context: trace.getSpanContext(parent)! }],
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.consumer.group.name': checkpoint,
          'messaging.destination.name': event.streamId,
          'messaging.message.id': event.id,
          'rentlog.event.type': event.type,
          'rentlog.event.position': String(event.position),
          'rentlog.correlation_id': event.metadata.correlationId,
        },
      },
      parent,
    );
    spans ??= new Map();
    spans.set(event, { span, ctx: trace.setSpan(withTracer(parent, tracer), span) });
  }
  if (!spans) return undefined;
  const all = spans;
  return {
    within: (event, fn) => {
      const found = all.get(event);
      return found ? context.with(found.ctx, fn) : fn();
    },
    attemptFailed: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      for (const { span } of all.values()) span.addEvent('batch failed; retrying', { 'exception.message': message });
    },
    end: (error) => {
      for (const { span } of all.values()) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
    },
  };
}
