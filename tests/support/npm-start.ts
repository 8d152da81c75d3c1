/**
 * Starts Rentlog as a process and stops it with a signal: the way the README does (`npm start`, which
 * builds only when the sources changed since `buildOnce()`), or straight from the `dist/` that
 * `buildOnce()` made.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { sleep } from './eventually.js';
import { PROJECT_ROOT, SWC_REGISTER } from './run-node-script.js';
import { dropDatabase } from './store-kinds.js';
import { CHEAP_PASSWORD_HASHING, GENEROUS_RATE_LIMITS, NO_AUTOMATIC_CHECKPOINTS } from './test-env.js';

export interface Started {
  child: ChildProcess;
  url: string;
  /** Rentlog's own pid, from its first line (under `npm start`, npm's child). */
  pid: number;
  /** stdout and stderr, interleaved. */
  output: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Store settings a child takes only when a test hands them over (ownStores): never inherited. */
const STORE_VARIABLES = ['EVENTSTORE_URL', 'EVENTSTORE_STREAM_PREFIX', 'MONGODB_URL', 'MONGODB_DB', 'BLIND_INDEX_KEY'];

/**
 * The child's environment: cheap password hashing (as in-process tests), no Jest NODE_OPTIONS, and no
 * store settings but those in `extra`: with EVENTSTORE_URL / MONGODB_URL set for the whole run (CI),
 * children used to share one EventStoreDB and one database.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STORE_VARIABLES) delete env[name];
  delete env.NODE_OPTIONS;
  return { ...NO_AUTOMATIC_CHECKPOINTS, ...env, ...CHEAP_PASSWORD_HASHING, ...GENEROUS_RATE_LIMITS, ...extra };
}

export interface OwnStores {
  /** What the children of one test get: nothing (SQLite under their DATA_DIR), or the real stores under a prefix and a database of their own. */
  env: Record<string, string>;
  kind: string;
  /** Drops the test's MongoDB database (EventStoreDB streams stay: the CI server is thrown away). */
  cleanup(): Promise<void>;
}

/** Stores that belong to one test only: SQLite under its DATA_DIR, or, where the URLs are set, a stream prefix and a database of its own. */
export function ownStores(): OwnStores {
  const tag = randomBytes(4).toString('hex');
  const env: Record<string, string> = {};
  const kinds: string[] = [];
  if (process.env.EVENTSTORE_URL) {
    env.EVENTSTORE_URL = process.env.EVENTSTORE_URL;
    env.EVENTSTORE_STREAM_PREFIX = `e2e${tag}_`;
    env.BLIND_INDEX_KEY = process.env.BLIND_INDEX_KEY ?? 'e2e-blind-index-key-0123456789abcdef';

    kinds.push('EventStoreDB');
  }
  const mongo = process.env.MONGODB_URL;
  if (mongo) {
    env.MONGODB_URL = mongo;
    env.MONGODB_DB = `rentlog_e2e_${tag}`;
    kinds.push('MongoDB');
  }
  return {
    env,
    kind: kinds.length > 0 ? kinds.join(' + ') : 'SQLite',
    cleanup: async () => {
      if (mongo) await dropDatabase(mongo, env.MONGODB_DB);
    },
  };
}

/** Compiles the project into dist/ once, for the tests that start `node dist/bin/rentlog.js`. */
export function buildOnce(): void {
  // Not forced: test files building at once wait for one another (scripts/build.mjs's lock), then find it built.
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: PROJECT_ROOT,
    env: childEnv({}),
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
}

/** `npm start`, exactly as the README says (it builds if need be, then starts all three processes). */
export function npmStart(dataDir: string, port: number, extra: Record<string, string> = {}): Promise<Started> {
  return launch('npm', ['start'], dataDir, port, extra);
}

/** `node dist/bin/rentlog.js start all` on what `buildOnce()` compiled. */
export function startBuilt(dataDir: string, port: number, extra: Record<string, string> = {}): Promise<Started> {
  return launch(process.execPath, ['dist/bin/rentlog.js', 'start', 'all'], dataDir, port, extra);
}

/** One role alone (`start api|projector|worker`), as the containers run them; resolves once it says it runs. */
export function startRole(
  role: 'api' | 'projector' | 'worker',
  dataDir: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<Started> {
  const ready = role === 'api' ? /listening on/ : new RegExp(`Rentlog \\S+ ${role} running`);
  return launch(process.execPath, ['dist/bin/rentlog.js', 'start', role], dataDir, port, extra, ready);
}

/**
 * `start all|api|projector|worker` straight from the TypeScript sources (the swc loader, as the
 * scripts' tests run): no build first, for tests that start and kill processes of their own.
 */
export function startFromSource(
  role: 'all' | 'api' | 'projector' | 'worker',
  dataDir: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<Started> {
  const ready = role === 'all' || role === 'api' ? /listening on/ : new RegExp(`Rentlog \\S+ ${role} running`);
  return launch(
    process.execPath,
    ['--import', SWC_REGISTER, 'bin/rentlog.ts', 'start', role],
    dataDir,
    port,
    extra,
    ready,
  );
}

async function launch(
  command: string,
  args: string[],
  dataDir: string,
  port: number,
  extra: Record<string, string>,
  ready = /listening on/,
): Promise<Started> {
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: childEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extra }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    output += c;
    stdout += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  // 'close': the process exited and its output is all read.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!ready.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`${command} ${args.join(' ')} did not come up:\n${output}`);
    await sleep(100);
  }
  const line = output.split('\n').find((l) => ready.test(l))!;
  const { url, pid } = JSON.parse(line) as { url?: string; pid: number };
  return { child, url: url ?? '', pid, output: () => output, stdout: () => stdout, exited };
}

/** SIGTERM to the process started (npm forwards it to Rentlog); answers its exit code. */
export async function stop(started: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  process.kill(started.child.pid!, signal);
  return started.exited;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
