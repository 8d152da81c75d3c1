/**
 * `start all`'s projector in a worker thread of the same process, so that its work (reading the log,
 * applying events, committing read models) does not share the api's event loop. The thread opens its
 * own connections to the stores on the same DATA_DIR, as `start projector` does in the split topology
 * (projector-thread.entry.ts), and runs the same Projector: the same leases, checkpoints, status
 * documents and logs (winston JSON lines on the process's stdout). This side keeps what the process
 * needs of it:
 *
 * - commits: the api's event store tells the thread's of each commit at once (a BroadcastChannel per
 *   DATA_DIR, `threadCommitSignal`), so the thread's subscriptions wake as they did in one event loop,
 *   not at their next poll (50 ms); the api's X-Min-Position waits read the checkpoints as in `split`;
 * - health: the thread sends its Projector's health when it changes; the heartbeat reads the last one;
 * - stop: asked last (after the api and the worker), the thread stops its runners (their checkpoints
 *   committed), closes its stores and ends;
 * - failure: an uncaught error or an exit the process did not ask for is logged and resolves `failed`,
 *   which stops the rest of the process with exit code 1 (bin/rentlog.ts): no api without its projector.
 */
import path from 'node:path';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import type { Logger } from '../../application/ports/logger.port.js';
import { ConfigError, StartupError } from '../../infrastructure/config/config.js';
import type { CommitSignal } from '../../infrastructure/event-store/sqlite.event-store.js';
import type { Projector } from '../../projections/runner/projector.js';

export type ProjectorHealth = ReturnType<Projector['health']>;

/** What the thread tells the process. */
export type FromProjectorThread =
  | { type: 'started'; health: ProjectorHealth }
  | { type: 'health'; health: ProjectorHealth }
  | { type: 'failed'; error: { name: string; message: string; stack?: string } };

/** What the process tells the thread. */
export type ToProjectorThread = { type: 'stop' };

/** The commit signal between the threads of one process on one DATA_DIR (none reaches another process). */
export function threadCommitSignal(dataDir: string): CommitSignal & { close(): void } {
  const channel = new BroadcastChannel(`rentlog:commits:${path.resolve(dataDir)}`);
  channel.unref();
  return {
    publish: () => channel.postMessage(0),
    subscribe: (listener) => {
      channel.onmessage = () => listener();
      channel.unref(); // a listener refs the channel; the process's own handles keep it up
    },
    close: () => channel.close(),
  };
}

/** The projector thread as the process sees it: its health, its stop, and whether it failed. */
export class ProjectorThread {
  private latest: ProjectorHealth = { ok: true, detail: [] };
  private stopping = false;
  private readonly exited: Promise<void>;
  /** Resolves (with why) when the thread failed or ended without being asked to; never rejects. */
  readonly failed: Promise<Error>;

  private constructor(
    private readonly thread: Worker,
    logger: Logger,
  ) {
    let fail!: (error: Error) => void;
    this.failed = new Promise((resolve) => (fail = resolve));
    let failure: Error | null = null;
    const failWith = (error: Error) => {
      if (failure || this.stopping) return;
      failure = error;
      logger.error('projector thread failed: stopping the process', { error: error.message, stack: error.stack });
      fail(error);
    };
    thread.on('message', (message: FromProjectorThread) => {
      if (message.type === 'health' || message.type === 'started') this.latest = message.health;
      else if (message.type === 'failed') failWith(rebuilt(message.error));
    });
    thread.on('error', failWith);
    this.exited = new Promise((resolve) =>
      thread.once('exit', (code) => {
        failWith(new Error(`the projector thread exited (code ${code})`));
        resolve();
      }),
    );
  }

  /** Starts the thread and resolves once its projector runs (its read models exist), as startProjector does. */
  static start(logger: Logger): Promise<ProjectorThread> {
    const thread = new Worker(new URL('./projector-thread.entry.js', import.meta.url), {
      name: 'projector',
      // The same settings as this thread's: the thread reads its configuration from them.
      env: process.env,
    });
    const handle = new ProjectorThread(thread, logger);
    return new Promise((resolve, reject) => {
      const early = (error: Error) => {
        thread.off('message', onMessage);
        void thread.terminate().finally(() => reject(error));
      };
      const onMessage = (message: FromProjectorThread) => {
        if (message.type === 'started') {
          thread.off('message', onMessage);
          thread.off('error', early);
          resolve(handle);
        } else if (message.type === 'failed') early(rebuilt(message.error));
      };
      thread.on('message', onMessage);
      thread.once('error', early);
    });
  }

  /** The thread's Projector's health as it last sent it (a projector starting counts as working). */
  health(): ProjectorHealth {
    return this.latest;
  }

  /** Stops the runners (their checkpoints committed), closes the thread's stores, and waits for the thread to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.thread.postMessage({ type: 'stop' } satisfies ToProjectorThread);
    await this.exited;
  }
}

/** A start-up failure keeps its kind across the thread: the process says a bad setting in one line, as without a thread. */
function rebuilt(error: { name: string; message: string; stack?: string }): Error {
  const rebuiltError =
    error.name === 'StartupError'
      ? new StartupError(error.message)
      : error.name === 'ConfigError'
        ? new ConfigError(error.message)
        : Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) rebuiltError.stack = error.stack;
  return rebuiltError;
}
