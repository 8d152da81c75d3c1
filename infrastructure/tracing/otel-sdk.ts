/**
 * The OpenTelemetry SDK as Rentlog runs it; imported only when tracing is on (tracing.ts). Spans go
 * to OTLP/HTTP (JSON, `@opentelemetry/exporter-trace-otlp-http`) at OTEL_EXPORTER_OTLP_ENDPOINT
 * through a batch span processor (OTEL_BSP_*). The one instrumentation is `http` (the server span of
 * each request, and outgoing calls); the command path, the event store's appends, the projections and
 * the workflows make their own spans through the API. Metrics and logs stay Rentlog's own (Prometheus,
 * winston): the SDK exports neither.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { diag, DiagLogLevel, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK, resources, tracing as sdkTracing } from '@opentelemetry/sdk-node';
import type { Logger } from '../../application/ports/logger.port.js';
import { TRACER_NAME } from '../../application/shared/tracing.js';
import type { TracedComponent, Tracing } from './tracing-handle.js';

/** Requests no trace is wanted of: probes and scrapes, every few seconds. */
const UNTRACED = /^\/(health\/|metrics(\?|$))/;

export function startOtelSdk(
  components: readonly TracedComponent[],
  logger: Logger,
  version: string,
  env: NodeJS.ProcessEnv,
): Tracing {
  diag.setLogger(diagLogger(logger), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const serviceOf = (component: TracedComponent) => env.OTEL_SERVICE_NAME || `rentlog-${component}`;
  // The process's first component is the SDK's (global) provider: the http server span is the api's.
  const [main, ...others] = components;
  const sdk = new NodeSDK({
    serviceName: serviceOf(main),
    resource: resources.resourceFromAttributes({ 'service.version': version }),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED.test(request.url ?? ''),
      }),
    ],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  // The instrumentation patches `http` on its next require; `http` is loaded already (the stores'
  // clients), so require it once now, before any server is created.
  const require = createRequire(import.meta.url);
  require('http');
  require('https');
  // In `start all`, the projector and the worker report under their own service names: a provider
  // each (unregistered; their spans still join the request's context through the global context manager).
  const providers = new Map<TracedComponent, sdkTracing.BasicTracerProvider>();
  for (const component of others) {
    // As NodeSDK makes its own: the defaults, then OTEL_RESOURCE_ATTRIBUTES, then the service.
    const resource = resources
      .defaultResource()
      .merge(resources.detectResources({ detectors: [resources.envDetector] }))
      .merge(resources.resourceFromAttributes({ 'service.name': serviceOf(component), 'service.version': version }));
    providers.set(
      component,
      new sdkTracing.BasicTracerProvider({
        resource,
        spanProcessors: [new sdkTracing.BatchSpanProcessor(new OTLPTraceExporter())],
      }),
    );
  }
  const tracers = new Map<TracedComponent, Tracer>(
    components.map((c) => [
      c,
      providers.get(c)?.getTracer(TRACER_NAME, version) ?? trace.getTracer(TRACER_NAME, version),
    ]),
  );
  logger.info('tracing on: spans exported over OTLP/HTTP', {
    services: components.map(serviceOf),
  });
  return {
    enabled: true,
    tracer: (component) => tracers.get(component),
    shutdown: async () => {
      await Promise.allSettled([sdk.shutdown(), ...[...providers.values()].map((p) => p.shutdown())]);
    },
  };
}

/** The SDK's own warnings (an exporter that cannot reach its collector) as Rentlog log lines. */
function diagLogger(logger: Logger) {
  const line = (level: 'warn' | 'error') => (message: string) => logger[level](`tracing: ${message}`);
  return {
    error: line('error'),
    warn: line('warn'),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
}
