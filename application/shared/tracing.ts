/**
 * Tracing through the OpenTelemetry API only (`@opentelemetry/api`): with no SDK registered (tracing
 * off, OTEL_EXPORTER_OTLP_ENDPOINT unset) every call here is the API's no-op, no span is recorded and
 * no `traceparent` is written. The SDK is started by the composition root (infrastructure/tracing).
 *
 * The trace of a command crosses the log: the event codec writes the W3C `traceparent` of the append
 * into each event's metadata, and the projector's and the worker's spans for that event continue it
 * (`contextOfTraceparent`).
 */
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  createContextKey,
  isSpanContextValid,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

export const TRACER_NAME = 'rentlog';

/** The tracer a component (the projector, the worker) set on the context; the spans below it use it. */
const TRACER_KEY = createContextKey('rentlog.tracer');

/** The tracer of the component whose work this is (in `start all`, each role reports as its own service). */
export const currentTracer = (ctx: Context = context.active()): Tracer =>
  (ctx.getValue(TRACER_KEY) as Tracer | undefined) ?? trace.getTracer(TRACER_NAME);

/** `ctx` with `tracer` as the one the spans under it use. */
export const withTracer = (ctx: Context, tracer: Tracer): Context => ctx.setValue(TRACER_KEY, tracer);

/** Runs `fn` in a new active span of the current tracer; a thrown error ends it with status ERROR. */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const active = context.active();
  const span = currentTracer(active).startSpan(name, options, active);
  // Tracing off (no SDK, no remote parent): a span that records nothing and carries no trace. Running
  // `fn` in a context of its own would cost an async context switch per call for nothing (a command's
  // path has several), so it runs as it is.
  if (!span.isRecording() && !isSpanContextValid(span.spanContext())) return fn(span);
  return context.with(trace.setSpan(active, span), async () => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C `traceparent` of the active span, or undefined when there is none (tracing off). */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpanContext(ctx);
  if (!span || !isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** A context whose (remote) parent is the span `traceparent` names; undefined when it is absent or malformed. */
export function contextOfTraceparent(traceparent: unknown): Context | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  const spanContext = { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16), isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : undefined;
}
