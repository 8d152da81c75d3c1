#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { Logger } from '../application/ports/logger.port.js';
import { ConfigError, StartupError, loadConfig, type Config } from '../infrastructure/config/config.js';
import { createLogger } from '../infrastructure/logging/logger.js';
import { openInfrastructure, type Infrastructure } from './composition/infrastructure.js';
import { startOpsServer } from './composition/ops-server.js';
import type { Projector } from '../projections/runner/projector.js';
import { createApi, createWorkerContext, startProjector, startWorker, type Running } from './composition/processes.js';
import { projectionsCommand } from './cli/projections.cli.js';
import { seed } from './cli/seed.cli.js';

const usage = `Usage: rentlog <command>
  start [all|api|projector|worker]   run the processes (default: all three in one process)
  projections status                 each read model's version, checkpoint, lag and state
  projections rebuild <name>         rebuild a read model from position zero, then swap it in
  seed                               fill an empty shop with demo products, customers and orders`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger('rentlog', { level: config.logLevel });
  if (command === 'start') {
    try {
      return await start(config, logger, rest[0] ?? 'all');
    } catch (error) {
      // A setting only the application can judge (an ADMIN_PASSWORD the policy refuses): one line, as above.
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
  }
  if (command === 'projections') return projectionsCommand(config, logger, rest);
  if (command === 'seed') return seed(config, logger);
  process.stderr.write(`${usage}\n`);
  return command === undefined || command === 'help' ? 0 : 2;
}

async function start(config: Config, logger: Logger, role: string): Promise<number> {
  if (!['all', 'api', 'projector', 'worker'].includes(role)) {
    process.stderr.write(`Unknown process "${role}".\n${usage}\n`);
    return 2;
  }
  const infra = await openInfrastructure(config, logger);
  // Stopped in this order: the worker (it sends commands through the application), the api, the projector.
  const running: Running[] = [];
  let projector: Projector | undefined;
  if (role === 'all' || role === 'projector') {
    projector = await startProjector(infra, config, logger);
    if (role === 'projector' && config.opsPort > 0)
      running.push(await ops(infra, config, logger, async () => projector!.health()));
  }
  let api: Awaited<ReturnType<typeof createApi>> | undefined;
  try {
    api = role === 'all' || role === 'api' ? await createApi(infra, config, logger) : undefined;
  } catch (error) {
    await projector?.stop();
    await infra.close();
    throw error;
  }

  if (role === 'all' || role === 'worker') {
    const context = api ?? (await createWorkerContext(infra, config, logger));
    const worker = await startWorker(context, infra, logger);
    running.push(worker);
    if (!api) running.push({ stop: () => context.close() });
    if (role === 'worker' && config.opsPort > 0) {
      running.push(
        await ops(infra, config, logger, async () => {
          const detail = worker.status();
          return { ok: detail.workflows.every((w) => w.state !== 'failed'), detail };
        }),
      );
    }
  }
  if (api) {
    await api.listen({ port: config.port, host: config.host });
    const url = `http://${config.host}:${config.port}`;
    logger.info(
      `Rentlog ${role === 'all' ? '(api, projector, worker)' : 'api'} listening on ${url} — docs at ${url}/docs`,
      { url, docs: `${url}/docs`, pid: process.pid, ...infra.describe },
    );
    running.push({ stop: () => api.close() });
  } else {
    // A projector or worker alone: one line saying it runs (scripts and tests wait for it).
    logger.info(`Rentlog ${role} started`, { role, pid: process.pid, ...infra.describe });
  }
  if (projector) running.push(projector);
  await waitForSignal(logger);
  for (const process_ of running) await process_.stop();
  await infra.close();
  logger.info('stopped');
  return 0;
}

async function ops(
  infra: Infrastructure,
  config: Config,
  logger: Logger,
  ready: () => Promise<{ ok: boolean; detail?: unknown }>,
): Promise<Running> {
  const server = await startOpsServer(infra, { host: config.host, port: config.opsPort, logger, ready });
  return { stop: () => server.close() };
}

function waitForSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info('shutting down', { signal });
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`); // a store that cannot serve as configured: one line
      process.exit(2);
    }
    process.stderr.write(
      `${JSON.stringify({ level: 'error', message: 'fatal', error: error.message, stack: error.stack })}\n`,
    );
    process.exit(1);
  },
);
