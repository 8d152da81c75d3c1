import type { Registry } from 'prom-client';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ProcessComponent } from '../../application/ports/process-registry.port.js';
import type { Config } from '../../infrastructure/config/config.js';
import { startTracing } from '../../infrastructure/tracing/tracing.js';
import type { Projector } from '../../projections/runner/projector.js';
import { DRAINING, Draining } from '../../api/http/platform/draining.js';
import { openInfrastructure, type Infrastructure } from '../composition/infrastructure.js';
import { startOpsServer } from '../composition/ops-server.js';
import { startHeartbeat } from '../composition/heartbeat.js';
import type { Worker } from '../composition/worker.js';
import {
  closeApi,
  createApi,
  createWorkerContext,
  startProjector,
  startupWarnings,
  startWorker,
  type ProcessRole,
  type Running,
} from '../composition/processes.js';
import { packageInfo } from '../composition/package-info.js';
import { ProjectorThread, threadCommitSignal } from '../composition/projector-thread.js';
import { untilStopSignal } from '../composition/signals.js';
import { shutDown } from '../composition/shutdown.js';

/** `rentlog start <role>`: the api, the projector and the worker (one, or all three in one process) until a stop signal. */
export async function startCommand(config: Config, logger: Logger, role: ProcessRole): Promise<number> {
  // Listening from the start: a signal during start-up stops Rentlog once it is up, instead of killing it.
  const stopSignal = untilStopSignal(logger);
  // Tracing (with OTEL_EXPORTER_OTLP_ENDPOINT only) starts first: its http instrumentation must see the server made.
  // In `start all` the projector thread starts its own (projector-thread.entry.ts).
  const traced = componentsOf(role).filter((c) => role !== 'all' || c !== 'projector');
  const tracing = await startTracing(traced, logger, packageInfo().version);
  // In `start all` the api's commits wake the projector thread's subscriptions at once.
  const commits = role === 'all' ? threadCommitSignal(config.dataDir) : undefined;
  const infra = await openInfrastructure(config, logger, { commits });
  // Stopped in this order: the worker (it sends commands through the application), the api, the projector.
  const running: Running[] = [];
  // The projector first, so that the read models the api serves exist before it listens; in `start all`
  // in a thread of its own, off the api's event loop.
  const projector =
    role === 'all'
      ? await ProjectorThread.start(logger).catch(async (error: unknown) => {
          await infra.close();
          throw error;
        })
      : role === 'projector'
        ? await startProjector(infra, config, logger, tracing.tracer('projector'))
        : undefined;
  let api: Awaited<ReturnType<typeof createApi>> | undefined;
  try {
    api = role === 'all' || role === 'api' ? await createApi(infra, config, logger) : undefined;
  } catch (error) {
    await projector?.stop();
    await infra.close();
    throw error;
  }
  // Heartbeats before the api listens, so its readiness finds this process's projector and worker at once.
  const parts: { projector?: Pick<Projector, 'health'>; worker?: Worker } = { projector };
  await startHeartbeat(infra, componentsOf(role), parts);
  const { version } = packageInfo();
  // The first line a person sees: where Rentlog answers (or, without an api, what runs on which stores).
  if (api) {
    await api.listen({ port: config.port, host: config.host });
    const url = `http://${config.host}:${config.port}`;
    logger.info(
      `Rentlog ${version} ${role === 'all' ? '(api, projector, worker)' : 'api'} listening on ${url} — docs at ${url}/docs`,
      { url, docs: `${url}/docs`, pid: process.pid, version, ...infra.describe },
    );
  } else {
    logger.info(`Rentlog ${version} ${role} running`, { pid: process.pid, version, ...infra.describe });
  }
  for (const warning of startupWarnings(config, role)) logger.warn(warning);
  // One drain state per process: the api's readiness and the ops server's turn 503 at the stop signal.
  const draining = api ? api.get<Draining>(DRAINING) : new Draining();
  if (role === 'projector' && config.opsPort > 0)
    running.push(await ops(infra, config, logger, draining, async () => projector!.health()));
  if (role === 'all' || role === 'worker') {
    const context = api ?? (await createWorkerContext(infra, config, logger));
    const worker = await startWorker(context, infra, config, logger, tracing.tracer('worker'));
    parts.worker = worker;
    running.push(worker);
    if (!api) running.push({ stop: () => context.close() });
    if (role === 'worker' && config.opsPort > 0) {
      running.push(
        await ops(
          infra,
          config,
          logger,
          draining,
          async () => {
            const detail = worker.status();
            return { ok: detail.workflows.every((w) => w.state !== 'failed'), detail };
          },
          { registry: infra.jobMetrics.registry, token: config.metricsToken },
        ),
      );
    }
  }
  // Behind a load balancer (a drain delay set), idle connections may end on their own within the keep-alive timeout.
  const keepIdleConnectionsMs = config.shutdown.drainDelayMs > 0 ? config.keepAliveTimeoutMs + 1000 : 0;
  if (api) running.push({ stop: () => closeApi(api, { keepIdleConnectionsMs }) });
  if (projector) running.push(projector);
  // A projector thread that fails stops the process as a signal would, and it exits with 1.
  const projectorFailed = projector instanceof ProjectorThread ? projector.failed : new Promise<never>(() => {});
  const stoppedBy = await Promise.race([stopSignal, projectorFailed.then(() => 'projector failed' as const)]);
  const outcome = await shutDown({
    draining,
    drainDelayMs: config.shutdown.drainDelayMs,
    timeoutMs: config.shutdown.timeoutMs,
    parts: running,
    logger,
  });
  if (outcome === 'timed out') return 1;
  await infra.close();
  commits?.close();
  await tracing.shutdown();
  logger.info('stopped');
  return stoppedBy === 'projector failed' ? 1 : 0;
}

const componentsOf = (role: ProcessRole): ProcessComponent[] =>
  role === 'all' ? ['api', 'projector', 'worker'] : [role];

async function ops(
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  draining: Draining,
  ready: () => Promise<{ ok: boolean; detail?: unknown }>,
  metrics?: { registry: Registry; token?: string },
): Promise<Running> {
  const server = await startOpsServer(infra, {
    host: config.host,
    port: config.opsPort,
    logger,
    draining,
    ready,
    metrics,
  });
  return { stop: () => server.close() };
}
