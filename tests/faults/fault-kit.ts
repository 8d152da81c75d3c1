/**
 * The fault suite's kit: a real Rentlog server (`node dist/bin/rentlog.js start all` on its own
 * DATA_DIR), a client that remembers every answer, strace attached to the running server to make its
 * system calls fail, kill -9, and the log read straight from `events.db` after the fact.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { eventually, sleep } from '../support/eventually.js';
import { freePort, startBuilt, type Started } from '../support/npm-start.js';

export const ADMIN = { ADMIN_EMAIL: 'ops@rentlog.example', ADMIN_PASSWORD: 'correct-horse-battery-77' };
export const SERVER_ENV = {
  ...ADMIN,
  JWT_SECRET: 'faults-secret-faults-secret-faults-secret',
  PAYMENTS_WEBHOOK_SECRET: 'faults-webhook-secret-1234',
  RATE_LIMIT_COMMANDS: '1000000',
  RATE_LIMIT_QUERIES: '1000000',
};

/** Why strace-based faults cannot run here, or null when they can (strace installed, and root to attach). */
export function straceUnavailable(): string | null {
  if (spawnSync('strace', ['-V'], { encoding: 'utf8' }).status !== 0)
    return 'strace is not installed (apt-get install strace; .ci/run does)';
  if (process.getuid?.() !== 0) return 'not root: strace cannot attach to the running server (ptrace)';
  return null;
}

/**
 * `it` when the test can run; otherwise `it.skip`, said on stderr as "SKIPPED, not passed" with the
 * reason, or, where FAULTS_REQUIRED=1 (.ci/run), a test that fails with the reason: CI never passes
 * by skipping.
 */
export function faultTest(what: string, reason: string | null, options: { required?: boolean } = {}): typeof it {
  if (reason === null) return it;
  if (process.env.FAULTS_REQUIRED === '1' && options.required !== false)
    return ((name: string) =>
      it(name, () => {
        throw new Error(`FAULTS_REQUIRED=1, but ${what} cannot run here: ${reason}`);
      })) as unknown as typeof it;
  process.stderr.write(`SKIPPED, not passed: ${what}: ${reason}\n`);
  return it.skip;
}

/** Why a small tmpfs cannot be mounted here (not root, or a container without CAP_SYS_ADMIN), or null. */
export function tmpfsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a tmpfs';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-mount-check-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
    if (mounted.status !== 0)
      return `mount -t tmpfs is refused here: ${(mounted.stderr || mounted.error?.message || '').trim()}`;
    spawnSync('umount', [dir]);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Server {
  started: Started;
  url: string;
  pid: number;
  token: string;
}

const running = new Set<Server>();

export async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const started = await startBuilt(dataDir, port, SERVER_ENV);
  const server = { started, url: started.url, pid: started.pid, token: '' };
  running.add(server);
  void started.exited.then(() => running.delete(server));
  server.token = await signIn(started.url);
  return server;
}

/** For afterEach: no server a failed test started outlives it. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((s) => kill9(s)));
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** SIGKILL, then wait until the process and its output are gone. */
export async function kill9(server: Server): Promise<void> {
  if (server.started.child.exitCode === null && server.started.child.signalCode === null)
    process.kill(server.pid, 'SIGKILL');
  await server.started.exited;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One POST; null when no answer came (the connection died with the server). */
export async function post(
  server: Server,
  url: string,
  body: unknown,
  key?: string,
  timeoutMs = 10_000,
): Promise<Answer | null> {
  try {
    const res = await fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${server.token}`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  } catch {
    return null;
  }
}

export async function ready(server: Server): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/health/ready`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Until /health/ready answers 200 (a fresh server: read models started, heartbeats in). */
export const untilReady = (server: Server) =>
  eventually(
    () => ready(server),
    (r) => r.status === 200,
    30_000,
    200,
  );

export async function registerProduct(server: Server, stock = 1): Promise<string> {
  const answer = await post(server, '/v1/products', {
    sku: `FAULT-${randomUUID().slice(0, 8)}`,
    name: 'Generator',
    category: 'power',
    dailyRate: { amount: 1000, currency: 'EUR' },
    deposit: { amount: 5000, currency: 'EUR' },
    stock,
    bufferDays: 0,
  });
  if (answer?.status !== 201) throw new Error(`register: ${answer?.status} ${JSON.stringify(answer?.body)}`);
  return answer.body.productId as string;
}

/** One stock adjustment of +1 under its own key: a command that a duplicate would visibly double. */
export interface Adjustment {
  key: string;
  productId: string;
  /** The answers it got, in order (null: none came). */
  answers: Array<Answer | null>;
}

export const adjust = async (server: Server, a: Adjustment): Promise<Answer | null> => {
  const answer = await post(server, `/v1/products/${a.productId}/stock`, { delta: 1, reason: 'fault suite' }, a.key);
  a.answers.push(answer);
  return answer;
};

export const acknowledged = (a: Adjustment) => a.answers.some((x) => x !== null && x.status === 200);

/** Concurrent load until `stop` resolves: `workers` loops, each adjusting one of the products with a fresh key. */
export async function load(
  server: Server,
  productIds: string[],
  workers: number,
  stop: Promise<void>,
): Promise<Adjustment[]> {
  const all: Adjustment[] = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; !stopped; i++) {
        const a: Adjustment = { key: randomUUID(), productId: productIds[(w + i) % productIds.length], answers: [] };
        all.push(a);
        const answer = await adjust(server, a);
        if (answer === null) return; // the server is gone
      }
    }),
  );
  return all;
}

export interface LoggedEvent {
  position: number;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

/** The event log as the disk holds it (read-only, beside a running server or after one). */
export function readLog(dataDir: string): LoggedEvent[] {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare('SELECT position, stream_id, type, data FROM events ORDER BY position').all() as Array<{
        position: number;
        stream_id: string;
        type: string;
        data: string;
      }>
    ).map((r) => ({ position: r.position, streamId: r.stream_id, type: r.type, data: JSON.parse(r.data) }));
  } finally {
    db.close();
  }
}

export const adjustmentsOf = (log: LoggedEvent[], productId: string) =>
  log.filter((e) => e.streamId === `product-${productId}` && e.type === 'ProductStockAdjusted');

const tracers = new Set<ReturnType<typeof spawn>>();

/** For afterEach: no strace a failed test attached outlives it. */
export function detachAll(): void {
  for (const tracer of tracers) tracer.kill('SIGINT');
}

/**
 * strace attached to the server's main thread (where better-sqlite3 writes and syncs), failing every
 * call of `syscalls` with `errno` from now on. Resolves once attached; `detach()` ends the fault.
 */
export async function injectFault(
  pid: number,
  syscalls: string[],
  errno: string,
): Promise<{ detach(): Promise<void> }> {
  const list = syscalls.join(',');
  const child = spawn(
    'strace',
    ['-p', String(pid), '-e', `trace=${list}`, '-e', `inject=${list}:error=${errno}`, '-o', '/dev/null'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  tracers.add(child);
  void exited.then(() => tracers.delete(child));
  const deadline = Date.now() + 10_000;
  while (!/attached/i.test(stderr)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`strace did not attach:\n${stderr}`);
    await sleep(50);
  }
  return {
    async detach() {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** Resends every adjustment that has no 200 yet with its own key, until each has one; answers the statuses seen. */
export async function settleAll(server: Server, adjustments: Adjustment[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const a of adjustments) {
    if (acknowledged(a)) continue;
    for (let attempt = 0; attempt < 5 && !acknowledged(a); attempt++) {
      const answer = await adjust(server, a);
      statuses.push(answer?.status ?? 0);
      if (answer?.status !== 200) await sleep(200);
    }
  }
  return statuses;
}
