/**
 * Tracing costs nothing when it is off: with OTEL_EXPORTER_OTLP_ENDPOINT unset, starting Rentlog's
 * tracing loads no module of the OpenTelemetry SDK, exporters or instrumentations (only the API, whose
 * calls are no-ops); with it set, the SDK is loaded (the control). In child processes, so that no other
 * test's imports count. The traceparent helpers read and write the W3C format only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { contextOfTraceparent, currentTraceparent } from '../../../application/shared/tracing.js';
import { tracingRequested } from '../../../infrastructure/tracing/tracing.js';
import { PROJECT_ROOT, runNodeScript } from '../../support/run-node-script.js';

const CHILD = 'tests/support/tracing-child.ts';
const run = async (mode: 'on' | 'off') =>
  JSON.parse(await runNodeScript(CHILD, [mode], 60_000)) as Record<string, unknown>;

describe('tracing switched by OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads none of the SDK when the endpoint is unset', async () => {
    expect(await run('off')).toEqual({ enabled: false, tracers: [false, false, false], sdkModules: 0, sdkNode: false });
  }, 60_000);

  it('loads the SDK, with a tracer per component, when it is set', async () => {
    const on = await run('on');
    expect(on).toMatchObject({ enabled: true, tracers: [true, true, true], sdkNode: true });
    expect(on.sdkModules).toBeGreaterThan(0);
  }, 60_000);

  it('is imported nowhere but by the lazy import of infrastructure/tracing/otel-sdk.ts', () => {
    const sources = ['domain', 'application', 'infrastructure', 'projections', 'api', 'bin'].flatMap((dir) =>
      (readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(dir, f)),
    );
    const importing = (pattern: RegExp) =>
      sources.filter((f) => pattern.test(readFileSync(path.join(PROJECT_ROOT, f), 'utf8'))).sort();
    expect(importing(/from '@opentelemetry\/(sdk-|exporter-|instrumentation)/)).toEqual([
      path.join('infrastructure', 'tracing', 'otel-sdk.ts'),
    ]);
    expect(importing(/otel-sdk\.js/)).toEqual([path.join('infrastructure', 'tracing', 'tracing.ts')]);
    expect(readFileSync(path.join(PROJECT_ROOT, 'infrastructure/tracing/tracing.ts'), 'utf8')).toMatch(
      /await import\('\.\/otel-sdk\.js'\)/,
    );
  });

  it('is requested by either OTLP endpoint variable, unless OTEL_SDK_DISABLED=true', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('the traceparent of event metadata', () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('reads a W3C traceparent into a remote parent context, and writes it back the same', () => {
    const ctx = contextOfTraceparent(traceparent)!;
    expect(trace.getSpanContext(ctx)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(currentTraceparent(ctx)).toBe(traceparent);
  });

  it('ignores what is absent, malformed or all zeros (no span then), and a context without a span', () => {
    for (const bad of [undefined, 42, '', 'garbage', traceparent.toUpperCase(), `01${traceparent.slice(2)}`])
      expect(contextOfTraceparent(bad)).toBeUndefined();
    expect(contextOfTraceparent(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
    expect(currentTraceparent(ROOT_CONTEXT)).toBeUndefined();
  });
});
