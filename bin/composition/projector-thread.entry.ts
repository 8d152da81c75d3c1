/**
 * The projector thread of `start all` (projector-thread.ts starts it): what `start projector` runs,
 * on its own connections to the stores of the same DATA_DIR, with its own tracing (service
 * `rentlog-projector`), and logs as winston JSON lines on the process's stdout. DATA_DIR's lock is the
 * process's (its main thread holds it for as long as the thread runs).
 */
import { parentPort } from 'node:worker_threads';
import { isDeepStrictEqual } from 'node:util';
import { loadConfig } from '../../infrastructure/config/config.js';
import { createLogger } from '../../infrastructure/logging/logger.js';
import { startTracing } from '../../infrastructure/tracing/tracing.js';
import { openInfrastructure } from './infrastructure.js';
import { packageInfo } from './package-info.js';
import { startProjector } from './projector.js';
import { threadCommitSignal, type FromProjectorThread, type ToProjectorThread } from './projector-thread.js';

/** How often the thread looks whether its projector's health changed (sent only then). */
const HEALTH_EVERY_MS = 250;

const port = parentPort!;
const send = (message: FromProjectorThread) => port.postMessage(message);

async function run(): Promise<void> {
  const stop = new Promise<void>((resolve) =>
    port.on('message', (message: ToProjectorThread) => {
      if (message.type === 'stop') resolve();
    }),
  );
  const config = loadConfig();
  const logger = createLogger('rentlog', { level: config.logLevel });
  const tracing = await startTracing(['projector'], logger, packageInfo().version);
  const commits = threadCommitSignal(config.dataDir);
  const infra = await openInfrastructure(config, logger, { lock: false, commits });
  let projector: Awaited<ReturnType<typeof startProjector>>;
  try {
    projector = await startProjector(infra, config, logger, tracing.tracer('projector'));
  } catch (error) {
    await infra.close();
    commits.close();
    throw error;
  }
  let sent = projector.health();
  send({ type: 'started', health: sent });
  const watch = setInterval(() => {
    const health = projector.health();
    if (isDeepStrictEqual(health, sent)) return;
    sent = health;
    send({ type: 'health', health });
  }, HEALTH_EVERY_MS);
  await stop;
  clearInterval(watch);
  await projector.stop();
  await infra.close();
  commits.close();
  await tracing.shutdown();
  port.close(); // nothing is left: the thread ends
}

run().catch((error: Error) => {
  send({ type: 'failed', error: { name: error.name, message: error.message, stack: error.stack } });
  process.exit(1); // in a worker thread: ends this thread, not the process (which decides what follows)
});
