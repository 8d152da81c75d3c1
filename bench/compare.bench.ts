/**
 * The HTTP comparison (issue 12): the same four routes, side by side in one run, 32 connections,
 * `seconds` each, in `rounds` interleaved rounds (each round runs every target once, in turn), medians
 * and spread over the rounds:
 *
 * - `limit`: bare Fastify with Rentlog's route schemas and the least I/O each route needs
 *   (server-limit.ts: one durable SQLite append per POST with group commit, one SELECT by key per GET);
 * - `all`: Rentlog as `npm start` runs it (`node dist/bin/rentlog.js start all`: api, projector and
 *   worker in one process, default LOG_LEVEL info, so an access line per request);
 * - `split`: `start api`, `start projector` and `start worker`, three processes on the same DATA_DIR;
 * - `emmett`: the Emmett 0.42 peer (emmett/server-emmett.ts, its own package under bench/emmett,
 *   installed here with `npm ci --prefix bench/emmett` when missing).
 *
 * Routes: POST /v1/orders (one line, quantity 1, over 50 products of large stock, random dates),
 * POST /v1/products (a unique SKU each), GET /v1/products/{id} (over the 50 products), GET
 * /v1/orders/{id} (over 20 orders placed at setup). Rentlog gets a staff token (the bootstrap admin's)
 * on the three routes that need one; the others get the same header and ignore it. The catalog GET is
 * anonymous everywhere. Each target is started for its turn of a round and
 * stopped after it (its data dir kept), so only the target measured is running. Before each route
 * Rentlog is left to settle (every projection at the head, no job running and the pending ones no longer falling), so that a
 * route is not measured beside the background work the one before left (`settleMs` in the rounds).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { autocannon, startServer, type AutocannonResult } from './http.bench.js';
import { progress, prng, ratio, round } from './support.js';

export interface CompareParams {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  /** Targets to run (all four by default; BENCH_COMPARE_TARGETS=limit,all for a subset). */
  targets: TargetName[];
}

export type TargetName = 'limit' | 'all' | 'split' | 'emmett';
const TARGETS: TargetName[] = ['limit', 'all', 'split', 'emmett'];

export const defaultCompareParams: CompareParams = {
  seconds: 20,
  warmupSeconds: 2,
  connections: 32,
  rounds: 3,
  targets: TARGETS,
};

export function compareParamsFromEnv(env: NodeJS.ProcessEnv = process.env): CompareParams {
  const seconds = Number(env.BENCH_SECONDS ?? defaultCompareParams.seconds);
  const targets = (env.BENCH_COMPARE_TARGETS ?? TARGETS.join(','))
    .split(',')
    .map((t) => t.trim())
    .filter((t): t is TargetName => (TARGETS as string[]).includes(t));
  return {
    ...defaultCompareParams,
    seconds,
    warmupSeconds: Math.min(defaultCompareParams.warmupSeconds, Math.max(1, Math.round(seconds / 3))),
    rounds: Number(env.BENCH_ROUNDS ?? defaultCompareParams.rounds),
    targets,
  };
}

const ROUTES = ['postOrders', 'postProducts', 'getProduct', 'getOrder'] as const;
type Route = (typeof ROUTES)[number];
const ROUTE_LABEL: Record<Route, string> = {
  postOrders: 'POST /v1/orders',
  postProducts: 'POST /v1/products',
  getProduct: 'GET /v1/products/{id}',
  getOrder: 'GET /v1/orders/{id}',
};

const here = path.dirname(fileURLToPath(import.meta.url));
/** The project root (this file runs from dist/bench/). */
const root = path.resolve(here, '../..');
const JWT_SECRET = 'bench-only-secret-bench-only-secret-0123456789';
const ADMIN = { email: 'bench-admin@bench.example', password: 'quiet-harbour-lantern-42' };
const PRODUCTS = 50;
const ORDERS = 20;
const tag = randomBytes(3).toString('hex');
let skuCounter = 0;

const productBody = (stock: number): string =>
  JSON.stringify({
    sku: `CMP-${tag}-${++skuCounter}`,
    name: 'Hammer drill 18V',
    category: 'tools',
    dailyRate: { amount: 1500, currency: 'EUR' },
    deposit: { amount: 5000, currency: 'EUR' },
    stock,
    bufferDays: 0,
  });

const isoDay = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A running target: where it answers and how to stop it. */
interface Running {
  url: string;
  stop(): Promise<Record<string, unknown> | null>;
}

/** What a target's setup made, kept across its rounds (its data dir is kept too). */
interface Fixture {
  customerId: string;
  products: string[];
  orders: string[];
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });

/** The environment of a Rentlog process of the comparison: npm start's defaults but for the bench's needs. */
function rentlogEnv(dataDir: string, port: number, admin: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['EVENTSTORE_URL', 'MONGODB_URL', 'NODE_OPTIONS', 'LOG_LEVEL', 'OPS_PORT']) delete env[name];
  return {
    ...env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET,
    // One sign-in per round: the production cost would only slow the setup.
    ARGON2_MEMORY_KIB: '64',
    ARGON2_TIME_COST: '1',
    // The per-user budgets would answer 429 within a second of load.
    RATE_LIMIT_COMMANDS: '100000000',
    RATE_LIMIT_QUERIES: '100000000',
    RATE_LIMIT_SIGN_IN: '100000',
    // No audit checkpoint at a wall-clock boundary in the middle of a measurement.
    AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0',
    ...(admin ? { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } : {}),
  };
}

/**
 * `node dist/bin/rentlog.js start <role>`, its stdout and stderr straight into a log file (as a
 * deployment's go to a file or journald: through a pipe to this process, which runs autocannon, a
 * full pipe would block the server's synchronous writes); resolves once the file says it is up.
 */
async function startRole(
  role: 'all' | 'api' | 'projector' | 'worker',
  dataDir: string,
  port: number,
  logFile: string,
  profileDir?: string,
): Promise<ChildProcess> {
  const args = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    path.join(root, 'dist/bin/rentlog.js'),
    'start',
    role,
  ];
  const from = existsSync(logFile) ? statSync(logFile).size : 0;
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: rentlogEnv(dataDir, port, role === 'all' || role === 'api'),
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const ready = role === 'all' || role === 'api' ? /listening on/ : new RegExp(`Rentlog \\S+ ${role} running`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const output = readFileSync(logFile, 'utf8').slice(from);
    if (ready.test(output)) return child;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rentlog start ${role} did not come up (exit ${child.exitCode}):\n${output.slice(-2000)}`);
    }
    await sleep(100);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function startRentlog(
  topology: 'all' | 'split',
  dataDir: string,
  profileDir?: string,
): Promise<Running & { pids: number[] }> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dataDir, `${topology}.log`);
  const children: ChildProcess[] = [];
  try {
    if (topology === 'all') children.push(await startRole('all', dataDir, port, logFile, profileDir));
    else
      for (const role of ['projector', 'api', 'worker'] as const)
        children.push(await startRole(role, dataDir, port, logFile, profileDir));
  } catch (error) {
    for (const child of children.reverse()) await stopChild(child);
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pids: children.map((c) => c.pid!),
    async stop() {
      // The worker and the api first, the projector last (as `start all` stops them).
      for (const child of [...children].reverse()) await stopChild(child);
      return null;
    },
  };
}

/** `npm ci --prefix bench/emmett` when the peer's packages are missing (its lock file is committed). */
export function ensureEmmettInstalled(): void {
  const marker = path.join(root, 'bench/emmett/node_modules/@event-driven-io/emmett-sqlite/package.json');
  if (existsSync(marker)) return;
  progress('compare: installing the Emmett peer (npm ci --prefix bench/emmett; sqlite3 compiles from source)');
  const r = spawnSync('npm', ['ci', '--prefix', path.join(root, 'bench/emmett'), '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm ci --prefix bench/emmett failed (${r.status ?? r.signal})`);
}

async function startTarget(name: TargetName, dir: string, profileDir?: string): Promise<Running> {
  const dataDir = path.join(dir, name);
  mkdirSync(dataDir, { recursive: true });
  if (name === 'all' || name === 'split') return startRentlog(name, dataDir, profileDir);
  const script = name === 'limit' ? 'server-limit.js' : 'emmett/server-emmett.js';
  return startServer(script, { DATA_DIR: dataDir }, profileDir);
}

async function call(url: string, method: string, route: string, authorization: string | undefined, body?: string) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(authorization ? { authorization } : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> | null, text };
}

/** Rentlog: the bootstrap admin's access token (a new one each round: they last 15 minutes). */
async function signIn(url: string): Promise<string> {
  const r = await call(url, 'POST', '/v1/auth/login', undefined, JSON.stringify(ADMIN));
  if (r.status !== 200) throw new Error(`sign-in answered ${r.status}: ${r.text}`);
  return `Bearer ${String(r.json!.accessToken)}`;
}

/** Waits until a GET answers 200 (Rentlog's read models are eventually consistent; x-min-position waits for one). */
async function awaitReadable(url: string, route: string, authorization: string, position: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${url}${route}`, { headers: { authorization, 'x-min-position': position } });
    await r.arrayBuffer();
    if (r.status === 200) return;
    await sleep(50);
  }
  throw new Error(`${route} never answered 200`);
}

async function setUp(name: TargetName, url: string, authorization: string): Promise<Fixture> {
  let customerId: string = randomUUID();
  if (name === 'all' || name === 'split') {
    const r = await call(
      url,
      'POST',
      '/v1/customers',
      authorization,
      JSON.stringify({ name: 'Bench Customer', email: `bench-${tag}-${name}@bench.example` }),
    );
    if (r.status !== 201) throw new Error(`POST /v1/customers answered ${r.status}: ${r.text}`);
    customerId = String(r.json!.customerId);
  }
  const products: string[] = [];
  let last = '0';
  for (let i = 0; i < PRODUCTS; i++) {
    const r = await call(url, 'POST', '/v1/products', authorization, productBody(1_000_000));
    if (r.status !== 201) throw new Error(`${name}: POST /v1/products answered ${r.status}: ${r.text}`);
    products.push(String(r.json!.productId));
    last = String(r.json!.position);
  }
  const orders: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const r = await call(url, 'POST', '/v1/orders', authorization, orderBody(customerId, products, prng(i + 1)));
    if (r.status !== 201) throw new Error(`${name}: POST /v1/orders answered ${r.status}: ${r.text}`);
    orders.push(String(r.json!.orderId));
    last = String(r.json!.position);
  }
  await awaitReadable(url, `/v1/products/${products[products.length - 1]}`, authorization, last);
  await awaitReadable(url, `/v1/orders/${orders[orders.length - 1]}`, authorization, last);
  return { customerId, products, orders };
}

/**
 * Rentlog: waits until its background work from the previous route is done (every projection at the
 * head, no job pending or running: the mails of the orders just placed, for one), so that a route is
 * measured on its own and not beside the catch-up of the one before. Answers the milliseconds waited.
 */
async function settle(url: string, authorization: string, limitMs = 60_000): Promise<number> {
  const t0 = Date.now();
  let lastPending = -1;
  for (;;) {
    const [projections, jobs] = await Promise.all([
      call(url, 'GET', '/v1/projections', authorization),
      call(url, 'GET', '/v1/jobs', authorization),
    ]);
    const lag = (projections.json as unknown as Array<{ lag?: { events: number } }> | null)?.reduce(
      (n, p) => n + (p.lag?.events ?? 0),
      0,
    );
    const queues = (jobs.json as { queues?: Array<{ pending: number; running: number }> } | null)?.queues ?? [];
    const running = queues.reduce((n, q) => n + q.running, 0);
    const pending = queues.reduce((n, q) => n + q.pending, 0);
    // Pending counts jobs due later too (an order's payment deadline): settled once none runs and the
    // pending count has stopped falling.
    if (lag === 0 && running === 0 && pending === lastPending) return Date.now() - t0;
    lastPending = pending;
    if (Date.now() - t0 > limitMs) {
      progress(
        `compare: still busy after ${limitMs / 1000}s (projection lag ${lag}, jobs running ${running}, pending ${pending}); measuring anyway`,
      );
      return Date.now() - t0;
    }
    await sleep(1000);
  }
}

function orderBody(customerId: string, products: string[], random: () => number): string {
  const start = 1 + Math.floor(random() * 300);
  return JSON.stringify({
    customerId,
    rentalStart: isoDay(start),
    rentalEnd: isoDay(start + Math.floor(random() * 3)),
    items: [{ productId: products[Math.floor(random() * products.length)], quantity: 1 }],
  });
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

function requestsFor(route: Route, fixture: Fixture, authorization: string): AutocannonRequest[] {
  const random = prng(7);
  const json = { 'content-type': 'application/json', authorization };
  const pick = (ids: string[]) => ids[Math.floor(random() * ids.length)];
  switch (route) {
    case 'postOrders':
      return [
        {
          method: 'POST',
          path: '/v1/orders',
          headers: json,
          setupRequest: (r) => ({ ...r, body: orderBody(fixture.customerId, fixture.products, random) }),
        },
      ];
    case 'postProducts':
      return [
        { method: 'POST', path: '/v1/products', headers: json, setupRequest: (r) => ({ ...r, body: productBody(3) }) },
      ];
    case 'getProduct':
      return [
        {
          // The catalog is public: read anonymously (a token would cost Rentlog a JWT verification).
          method: 'GET',
          setupRequest: (r) => ({ ...r, path: `/v1/products/${pick(fixture.products)}` }),
        },
      ];
    case 'getOrder':
      return [
        {
          method: 'GET',
          headers: { authorization },
          setupRequest: (r) => ({ ...r, path: `/v1/orders/${pick(fixture.orders)}` }),
        },
      ];
  }
}

interface Sample {
  round: number;
  /** Rentlog: how long its background work (projections, jobs) took to settle before this route. */
  settleMs: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function measure(
  url: string,
  requests: AutocannonRequest[],
  params: CompareParams,
  label: string,
): Promise<AutocannonResult> {
  const options = { url, connections: params.connections, pipelining: 1, requests };
  if (params.warmupSeconds > 0) await autocannon({ ...options, duration: params.warmupSeconds });
  progress(`compare: ${label} ${params.seconds}s, ${params.connections} connections`);
  return autocannon({ ...options, duration: params.seconds });
}

export async function benchCompare(dir: string, params: CompareParams = defaultCompareParams, profileDir?: string) {
  if (params.targets.includes('emmett')) ensureEmmettInstalled();
  const fixtures = new Map<TargetName, Fixture>();
  const samples = new Map<string, Sample[]>();
  const setupNotes: Record<string, unknown> = {};
  for (let roundNo = 1; roundNo <= params.rounds; roundNo++) {
    // Interleaved: every target takes its turn in each round, the order rotating from round to round.
    const order = params.targets.map((_, i) => params.targets[(i + roundNo - 1) % params.targets.length]);
    for (const name of order) {
      progress(`compare: round ${roundNo}/${params.rounds}, starting ${name}`);
      const t0 = Date.now();
      const running = await startTarget(name, dir, profileDir);
      try {
        const authorization = name === 'all' || name === 'split' ? await signIn(running.url) : 'Bearer not-checked';
        let fixture = fixtures.get(name);
        if (!fixture) {
          fixture = await setUp(name, running.url, authorization);
          fixtures.set(name, fixture);
        }
        setupNotes[`${name}StartAndSetupMs.round${roundNo}`] = Date.now() - t0;
        for (const route of ROUTES) {
          const settleMs = name === 'all' || name === 'split' ? await settle(running.url, authorization) : 0;
          const r = await measure(
            running.url,
            requestsFor(route, fixture, authorization),
            params,
            `round ${roundNo} ${name} ${ROUTE_LABEL[route]}`,
          );
          const key = `${name}.${route}`;
          samples.set(key, [
            ...(samples.get(key) ?? []),
            {
              round: roundNo,
              settleMs,
              requestsPerSecond: round(r.requests.average),
              p50: r.latency.p50,
              p99: r.latency.p99,
              non2xx: r.non2xx,
              errors: r.errors,
              timeouts: r.timeouts,
              statusCodes: Object.fromEntries(
                Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
              ),
            },
          ]);
        }
      } finally {
        const stats = await running.stop();
        if (stats) setupNotes[`${name}Stats.round${roundNo}`] = stats;
      }
    }
  }
  return summarizeComparison(samples, params, setupNotes);
}

const TARGET_LABEL: Record<TargetName, string> = {
  limit:
    'bare Fastify, same schemas and ajv settings; one durable SQLite append per POST (WAL, synchronous=FULL, group commit), one SELECT by key per GET (parsed, serialized by the response schema)',
  all: 'Rentlog `start all` (npm start: api + projector + worker in one process), LOG_LEVEL info (an access line per request, to a file)',
  split: 'Rentlog `start api` + `start projector` + `start worker` on one DATA_DIR, LOG_LEVEL info',
  emmett:
    'Emmett 0.42.0 + emmett-sqlite 0.42.4 under the same Fastify and schemas: one shared connection, InProcessLock around writes, WAL set first, synchronous=FULL, inline raw-SQL projections',
};

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

function summarizeComparison(samples: Map<string, Sample[]>, params: CompareParams, notes: Record<string, unknown>) {
  const measurements: Record<string, Record<string, unknown> & { value: number; unit: string }> = {};
  const medians = new Map<string, { rps: number; p99: number }>();
  for (const [key, list] of samples) {
    const [name, route] = key.split('.') as [TargetName, Route];
    const rates = list.map((s) => s.requestsPerSecond);
    const rps = round(median(rates));
    const p99 = median(list.map((s) => s.p99));
    medians.set(key, { rps, p99 });
    const non2xx = list.reduce((n, s) => n + s.non2xx, 0);
    const errors = list.reduce((n, s) => n + s.errors + s.timeouts, 0);
    // Rentlog's POST /v1/orders may refuse on purpose (409 UNITS_UNAVAILABLE cannot happen: stock is 1,000,000).
    const valid = non2xx === 0 && errors === 0;
    measurements[`cmp${cap(name)}${cap(route)}`] = {
      value: rps,
      unit: 'req/s (median of rounds)',
      latencyMs: { p50: median(list.map((s) => s.p50)), p99 },
      spread: {
        min: Math.min(...rates),
        max: Math.max(...rates),
        relative: round((Math.max(...rates) - Math.min(...rates)) / Math.max(rps, 1), 3),
      },
      non2xx,
      rounds: list,
      valid,
      ...(valid ? {} : { invalidReason: `non2xx=${non2xx} errors+timeouts=${errors} over the rounds` }),
      params: {
        target: name,
        route: ROUTE_LABEL[route],
        server: TARGET_LABEL[name],
        connections: params.connections,
        seconds: params.seconds,
        warmupSeconds: params.warmupSeconds,
        rounds: params.rounds,
      },
    };
  }
  const ratios: Record<string, number> = {};
  const get = (name: TargetName, route: Route) => medians.get(`${name}.${route}`);
  for (const topology of ['all', 'split'] as const) {
    for (const route of ROUTES) {
      const mine = get(topology, route);
      if (!mine) continue;
      const limit = get('limit', route);
      const emmett = get('emmett', route);
      if (limit) ratios[`http${cap(topology)}${cap(route)}VsLimit`] = ratio(mine.rps, limit.rps);
      if (emmett) ratios[`http${cap(topology)}${cap(route)}VsEmmett`] = ratio(mine.rps, emmett.rps);
    }
    const mine = get(topology, 'postOrders');
    const limit = get('limit', 'postOrders');
    if (mine && limit) ratios[`http${cap(topology)}PostOrdersP99VsLimit`] = ratio(mine.p99, Math.max(limit.p99, 1));
  }
  for (const route of ['getProduct', 'getOrder'] as const) {
    const all = get('all', route);
    const split = get('split', route);
    if (all && split) ratios[`httpAllVsSplit${cap(route)}`] = ratio(all.rps, split.rps);
  }
  for (const route of ROUTES) {
    const emmett = get('emmett', route);
    const limit = get('limit', route);
    if (emmett && limit) ratios[`httpEmmett${cap(route)}VsLimit`] = ratio(emmett.rps, limit.rps);
  }
  return { measurements, ratios, notes };
}

/** The goals for the comparison, one per ratio (both topologies). */
export const COMPARE_GOALS: Array<{ ratio: string; atLeast?: number; above?: number; atMost?: number }> = [
  ...(['All', 'Split'] as const).flatMap((t) => [
    { ratio: `http${t}PostOrdersVsLimit`, atLeast: 0.5 },
    { ratio: `http${t}PostOrdersP99VsLimit`, atMost: 3 },
    { ratio: `http${t}PostProductsVsLimit`, atLeast: 0.5 },
    { ratio: `http${t}GetProductVsLimit`, atLeast: 0.7 },
    { ratio: `http${t}GetOrderVsLimit`, atLeast: 0.7 },
    { ratio: `http${t}GetProductVsEmmett`, above: 1 },
    { ratio: `http${t}GetOrderVsEmmett`, above: 1 },
  ]),
  // Single process vs split: at most 20 % fewer GETs a second.
  { ratio: 'httpAllVsSplitGetProduct', atLeast: 0.8 },
  { ratio: 'httpAllVsSplitGetOrder', atLeast: 0.8 },
];
