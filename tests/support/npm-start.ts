/**
 * Starts Rentlog as a process and stops it with a signal: the way the README does (`npm start`, which
 * builds only when the sources changed since `buildOnce()`), or straight from the `dist/` that
 * `buildOnce()` made.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { sleep } from './eventually.js';
import { PROJECT_ROOT } from './run-node-script.js';
import { CHEAP_PASSWORD_HASHING } from './test-env.js';

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

/** The child's environment: cheap password hashing (as in-process tests), no Jest NODE_OPTIONS. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...CHEAP_PASSWORD_HASHING, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

/** Compiles the project into dist/ once, for the tests that start `node dist/bin/rentlog.js`. */
export function buildOnce(): void {
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: PROJECT_ROOT,
    env: childEnv({}),
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

/** `npm start`, exactly as the README says (it builds if need be, then starts all three processes). */
export function npmStart(dataDir: string, port: number, extra: Record<string, string> = {}): Promise<Started> {
  return launch('npm', ['start'], dataDir, port, extra);
}

/** `node dist/bin/rentlog.js start all` on what `buildOnce()` compiled. */
export function startBuilt(dataDir: string, port: number, extra: Record<string, string> = {}): Promise<Started> {
  return launch(process.execPath, ['dist/bin/rentlog.js', 'start', 'all'], dataDir, port, extra);
}

async function launch(
  command: string,
  args: string[],
  dataDir: string,
  port: number,
  extra: Record<string, string>,
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
  while (!/listening on/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`${command} ${args.join(' ')} did not come up:\n${output}`);
    await sleep(100);
  }
  const line = output.split('\n').find((l) => l.includes('listening on'))!;
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return { child, url, pid, output: () => output, stdout: () => stdout, exited };
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
