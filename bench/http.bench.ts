/**
 * HTTP with autocannon: the real app (Nest on Fastify, embedded stores, projector running) against a
 * bare Fastify app with the same schemas. Each server runs in its own child process, so autocannon
 * (in this process) does not share the server's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, ratio, round } from './support.js';

export interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { average: number; p50: number; p90: number; p99: number; max: number };
  requests: { average: number; total: number; sent: number };
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  timeout?: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

// autocannon is CommonJS without type declarations: typed here by the part we use.
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface HttpParams {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  pipelining: number;
}

export const defaultHttpParams: HttpParams = { seconds: 10, warmupSeconds: 2, connections: 50, pipelining: 1 };

const here = path.dirname(fileURLToPath(import.meta.url));

interface Server {
  url: string;
  /** The staff Authorization header the real server minted (the bare one mints none). */
  authorization?: string;
  child: ChildProcess;
  stop(): Promise<Record<string, unknown> | null>;
}

/** Starts `dist/bench/<script>` and waits for the `{"port":N}` line it prints once listening. */
export function startServer(script: string, env: Record<string, string>, profileDir?: string): Promise<Server> {
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), path.join(here, script)];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('{')) continue; // a library's own console output (Emmett logs a rolled-back error)
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        lines.push(message);
        if (typeof message.port === 'number') {
          resolve({
            url: `http://127.0.0.1:${message.port}`,
            ...(typeof message.authorization === 'string' ? { authorization: message.authorization } : {}),
            child,
            async stop() {
              child.kill('SIGTERM');
              const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
              await exited;
              clearTimeout(timer);
              const stats = lines.find((l) => l.stats !== undefined);
              return (stats?.stats as Record<string, unknown>) ?? null;
            },
          });
        }
      }
    });
    void exited.then((code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
}

export function summarize(result: AutocannonResult, params: HttpParams, extra: Record<string, unknown> = {}) {
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
  );
  return {
    value: round(result.requests.average),
    unit: 'req/s',
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      average: round(result.latency.average, 2),
      max: result.latency.max,
    },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    params: {
      connections: params.connections,
      pipelining: params.pipelining,
      seconds: result.duration,
      warmupSeconds: params.warmupSeconds,
      ...extra,
    },
  };
}

const tag = randomBytes(3).toString('hex');
let skuCounter = 0;
const productBody = (): string =>
  JSON.stringify({
    sku: `BENCH-${tag}-${++skuCounter}`,
    name: 'Hammer drill 18V',
    category: 'tools',
    dailyRate: { amount: 1500, currency: 'EUR' },
    deposit: { amount: 5000, currency: 'EUR' },
    stock: 3,
    bufferDays: 1,
  });

/** POSTs carry the staff token (the bare server receives the same header and ignores it). */
const postRequests = (authorization: string): AutocannonRequest[] => [
  {
    method: 'POST',
    path: '/v1/products',
    headers: { 'content-type': 'application/json', authorization },
    setupRequest: (request) => ({ ...request, body: productBody() }),
  },
];

const getRequests = (id: string): AutocannonRequest[] => [{ method: 'GET', path: `/v1/products/${id}` }];

async function load(
  url: string,
  requests: AutocannonRequest[],
  params: HttpParams,
  label: string,
): Promise<AutocannonResult> {
  if (params.warmupSeconds > 0) {
    progress(`http: ${label} warm-up ${params.warmupSeconds}s`);
    await autocannon({
      url,
      connections: params.connections,
      pipelining: params.pipelining,
      duration: params.warmupSeconds,
      requests,
    });
  }
  progress(`http: ${label} ${params.seconds}s, ${params.connections} connections, pipelining ${params.pipelining}`);
  return autocannon({
    url,
    connections: params.connections,
    pipelining: params.pipelining,
    duration: params.seconds,
    requests,
  });
}

/** Registers one product and waits until the products read model serves it. */
export async function existingProduct(url: string, authorization: string): Promise<{ id: string; position: string }> {
  const response = await fetch(`${url}/v1/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: productBody(),
  });
  if (response.status !== 201)
    throw new Error(`POST /v1/products answered ${response.status}: ${await response.text()}`);
  const { productId, position } = (await response.json()) as { productId: string; position: string };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const get = await fetch(`${url}/v1/products/${productId}`, { headers: { 'x-min-position': position } });
    if (get.status === 200) return { id: productId, position };
    await get.arrayBuffer();
  }
  throw new Error(`product ${productId} never reached the read model`);
}

export async function benchHttp(dataDir: string, params: HttpParams = defaultHttpParams, profileDir?: string) {
  progress('http: starting the real app (child process: server-real.js)');
  const real = await startServer(
    'server-real.js',
    { DATA_DIR: path.join(dataDir, 'http-real'), LOG_LEVEL: 'error' },
    profileDir,
  );
  let realPost: AutocannonResult;
  let realGet: AutocannonResult;
  let realStats: Record<string, unknown> | null;
  let product: { id: string; position: string };
  let catchUpMs: number;
  const authorization = real.authorization;
  try {
    if (!authorization) throw new Error('server-real.js printed no authorization header');
    realPost = await load(real.url, postRequests(authorization), params, 'real POST /v1/products');
    progress('http: waiting for the projector to catch up');
    const t0 = Date.now();
    product = await existingProduct(real.url, authorization);
    catchUpMs = Date.now() - t0;
    realGet = await load(real.url, getRequests(product.id), params, 'real GET /v1/products/{id}');
  } finally {
    realStats = await real.stop();
  }

  progress('http: starting the bare Fastify app (child process: server-bare.js)');
  const bare = await startServer('server-bare.js', {}, profileDir);
  let barePost: AutocannonResult;
  let bareGet: AutocannonResult;
  try {
    barePost = await load(bare.url, postRequests(authorization), params, 'bare POST /v1/products');
    bareGet = await load(bare.url, getRequests(product.id), params, 'bare GET /v1/products/{id}');
  } finally {
    await bare.stop();
  }

  const eventStore = (realStats?.eventStore ?? null) as { transactions: number; appends: number } | null;
  const realPostSummary = summarize(realPost, params, {
    server:
      'Nest 12 on Fastify (createApi), SqliteEventStore + SqliteReadStore, projector running, silent logger, LOG_LEVEL=error',
    body: 'unique sku per request',
    auth: 'Authorization: Bearer <staff access token> (JWT verified per request)',
    eventsPerRequest: 2,
    eventStoreAppendsPerTransaction: eventStore
      ? round(eventStore.appends / Math.max(1, eventStore.transactions), 2)
      : null,
  });
  const valid = realPost.non2xx === 0 && realPost.errors === 0 && realPost.timeouts === 0;
  const realGetValid = realGet.non2xx === 0 && realGet.errors === 0 && realGet.timeouts === 0;
  return {
    measurements: {
      httpRealPost: {
        ...realPostSummary,
        valid,
        ...(valid
          ? {}
          : {
              invalidReason: `non2xx=${realPost.non2xx} errors=${realPost.errors} timeouts=${realPost.timeouts}: the figure is not a valid throughput of successful commands`,
            }),
      },
      httpRealGet: {
        ...summarize(realGet, params, {
          server: 'as for POST',
          productsInReadModel: 'every product registered by the POST runs',
          readModelCatchUpMs: catchUpMs,
        }),
        valid: realGetValid,
      },
      httpBarePost: summarize(barePost, params, {
        server: 'bare Fastify, same ajv settings and route schema, no I/O',
        auth: 'same Authorization header sent, not verified',
      }),
      httpBareGet: summarize(bareGet, params, {
        server: 'bare Fastify, same params/response schema, constant document',
      }),
    },
    ratios: {
      commandVsBarePost: ratio(realPost.requests.average, barePost.requests.average),
      queryVsBareGet: ratio(realGet.requests.average, bareGet.requests.average),
    },
    realServerStats: realStats,
  };
}
