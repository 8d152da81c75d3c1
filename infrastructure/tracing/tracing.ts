/**
 * Tracing (OpenTelemetry), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then, and only then, the SDK
 * is imported (otel-sdk.ts, a lazy import), so a process without it loads none of the SDK and pays
 * nothing but the API's no-op calls. The SDK reads the other OTEL_* variables itself
 * (docs/operations.md, Tracing).
 */
import type { Logger } from '../../application/ports/logger.port.js';
import type { TracedComponent, Tracing } from './tracing-handle.js';

export type { TracedComponent, Tracing } from './tracing-handle.js';

export const TRACING_OFF: Tracing = {
  enabled: false,
  tracer: () => undefined,
  shutdown: async () => undefined,
};

/** Whether the environment asks for tracing (an OTLP endpoint for traces). */
export const tracingRequested = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) &&
  env.OTEL_SDK_DISABLED !== 'true';

/**
 * Starts the SDK for a process running `components` (all three in `start all`), or nothing. Call it
 * before the HTTP server is created: the http instrumentation patches `http` as it starts.
 */
export async function startTracing(
  components: readonly TracedComponent[],
  logger: Logger,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Tracing> {
  if (!tracingRequested(env)) return TRACING_OFF;
  const { startOtelSdk } = await import('./otel-sdk.js');
  return startOtelSdk(components, logger, version, env);
}
