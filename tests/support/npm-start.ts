/** Starts Rentlog the way the README does (`npm start`) and stops it with a signal. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PROJECT_ROOT } from './run-node-script.js';

export interface Started {
  child: ChildProcess;
  url: string;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

export async function npmStart(dataDir: string, port: number, extra: Record<string, string> = {}): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env: childEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extra }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/listening on/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const line = output.split('\n').find((l) => l.includes('listening on'))!;
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return { child, url, pid, output: () => output, exited };
}

/** Signals Rentlog's own process (npm would die of the signal and orphan it); npm exits with its code. */
export async function stop(started: Started): Promise<number | null> {
  process.kill(started.pid, 'SIGTERM');
  return started.exited;
}
