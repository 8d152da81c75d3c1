/**
 * A child process for the tracing tests: starts tracing as `rentlog start all` does, with the OTLP
 * endpoint unset (`off`) or set (`on`, at a port nothing listens on: no span is made, none sent), and
 * prints whether the SDK's modules were loaded (the CommonJS cache, where ESM imports of the SDK's
 * CommonJS packages land too).
 */
import { createRequire } from 'node:module';
import { startTracing } from '../../infrastructure/tracing/tracing.js';
import { silentLogger } from './silent-logger.js';

const mode = process.argv[2];
delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
if (mode === 'on') process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:9';

const tracing = await startTracing(['api', 'projector', 'worker'], silentLogger, '0.0.0');
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) =>
  /node_modules[\\/]@opentelemetry[\\/](sdk-|exporter-|instrumentation)/.test(file),
);
await tracing.shutdown();
process.stdout.write(
  JSON.stringify({
    enabled: tracing.enabled,
    tracers: ['api', 'projector', 'worker'].map((c) => tracing.tracer(c as 'api') !== undefined),
    sdkModules: loaded.length,
    sdkNode: loaded.some((f) => /@opentelemetry[\\/]sdk-node[\\/]/.test(f)),
  }),
);
