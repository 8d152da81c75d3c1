/**
 * A login flood against the real app (issue 8's measure): while 16 clients send wrong passwords as
 * fast as they can, `GET /v1/products/{id}` should keep its p99 within 2x of its idle p99, and the
 * server's memory within 100 MiB of idle. argon2id runs at the production cost (64 MiB, t=3) in its
 * bounded pool; the sign-in rate limits and lockouts are lifted (RATE_LIMIT_SIGN_IN and the lockout
 * thresholds very high, a new unknown email per attempt), which is the worst case: an attacker with
 * many addresses. What protects the other requests is then the pool and its queue alone (a full
 * queue answers 503 SERVICE_BUSY at once).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { autocannon, existingProduct, startServer, summarize, type AutocannonResult } from './http.bench.js';
import { performance } from 'node:perf_hooks';
import { progress, ratio, round } from './support.js';

/** The staff user server-real.js creates. */
const BENCH_STAFF_EMAIL = 'bench-staff@bench.example';

const FLOOD_CLIENTS = 16;
const READERS = 4;
const SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 10);

/** The child's resident memory, MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return round(kib / 1024, 1);
}

const TIMING_SAMPLES = 40;

/**
 * p50 of a refused sign-in with an email nobody has and with a known email and a wrong password,
 * interleaved (the answers must not tell them apart, in time as in body: a dummy hash for unknown emails).
 */
async function signInTimings(url: string): Promise<{ unknown: number; wrong: number }> {
  const attempt = async (email: string): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'wrong-password-guess' }),
    });
    await res.arrayBuffer();
    if (res.status !== 401) throw new Error(`a wrong sign-in answered ${res.status}`);
    return performance.now() - t;
  };
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < TIMING_SAMPLES; i++) {
    unknown.push(await attempt(`nobody-${i}@timing.example`));
    wrong.push(await attempt(BENCH_STAFF_EMAIL));
  }
  const p50 = (values: number[]) => round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)], 1);
  return { unknown: p50(unknown), wrong: p50(wrong) };
}

export async function benchLoginFlood(dataDir: string) {
  progress('flood: starting the real app with production argon2 cost (child process: server-real.js)');
  const server = await startServer('server-real.js', {
    DATA_DIR: path.join(dataDir, 'flood'),
    LOG_LEVEL: 'error',
    ARGON2_MEMORY_KIB: '65536',
    ARGON2_TIME_COST: '3',
    ARGON2_PARALLELISM: '1',
    RATE_LIMIT_SIGN_IN: '100000000',
    RATE_LIMIT_QUERIES: '100000000',
    RATE_LIMIT_COMMANDS: '100000000',
    SIGN_IN_LOCKOUT_THRESHOLD: '100',
    SIGN_IN_MAX_FAILURES: '100',
    SIGN_IN_ADDRESS_FAILURES: '100000000',
  });
  const pid = server.child.pid!;
  try {
    const product = await existingProduct(server.url, server.authorization!);
    const reads = [{ method: 'GET', path: `/v1/products/${product.id}` }];
    const read = () =>
      autocannon({ url: server.url, connections: READERS, pipelining: 1, duration: SECONDS, requests: reads });

    progress(`flood: ${TIMING_SAMPLES} sign-ins each with an unknown email and with a wrong password`);
    const timing = await signInTimings(server.url);

    progress(`flood: idle GET /v1/products/{id}, ${READERS} connections, ${SECONDS}s`);
    await autocannon({ url: server.url, connections: READERS, pipelining: 1, duration: 2, requests: reads });
    const idleRss = rssMiB(pid);
    const idle = await read();

    progress(`flood: the same GETs while ${FLOOD_CLIENTS} clients send wrong passwords, ${SECONDS}s`);
    let n = 0;
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(pid))), 200);
    const [flood, busy] = await Promise.all([
      autocannon({
        url: server.url,
        connections: FLOOD_CLIENTS,
        pipelining: 1,
        duration: SECONDS + 1,
        requests: [
          {
            method: 'POST',
            path: '/v1/auth/login',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ email: `attacker-${++n}@flood.example`, password: 'wrong-password-guess' }),
            }),
          },
        ],
      }),
      read(),
    ]);
    clearInterval(sampler);
    const statuses = (r: AutocannonResult) =>
      Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
    progress(
      `flood: GET p99 ${idle.latency.p99} ms idle, ${busy.latency.p99} ms under the flood; RSS ${idleRss} -> peak ${peakRss} MiB; logins ${JSON.stringify(statuses(flood))}`,
    );
    const params = { connections: READERS, pipelining: 1, seconds: SECONDS, warmupSeconds: 2 };
    const valid = busy.non2xx === 0 && busy.errors === 0 && idle.non2xx === 0;
    return {
      measurements: {
        floodIdleGet: summarize(idle, params, { server: 'server-real.js, argon2id 64 MiB t=3 p=4' }),
        floodBusyGet: {
          ...summarize(busy, params, {
            floodClients: FLOOD_CLIENTS,
            loginAnswers: statuses(flood),
            loginsPerSecond: round(flood.requests.average),
          }),
          valid,
        },
        signInUnknownEmailMs: {
          value: timing.unknown,
          unit: 'ms (p50)',
          params: { samples: TIMING_SAMPLES, argon2: '64 MiB t=3 p=1' },
        },
        signInWrongPasswordMs: { value: timing.wrong, unit: 'ms (p50)', params: { samples: TIMING_SAMPLES } },
        floodMemory: {
          value: round(peakRss - idleRss, 1),
          unit: 'MiB above idle (peak RSS)',
          idleRssMiB: idleRss,
          peakRssMiB: peakRss,
          params: { floodClients: FLOOD_CLIENTS, sampledEveryMs: 200 },
        },
      },
      ratios: {
        productP99UnderLoginFloodVsIdle: ratio(busy.latency.p99, Math.max(1, idle.latency.p99)),
        signInUnknownVsWrongPassword: ratio(timing.unknown, timing.wrong),
      },
    };
  } finally {
    await server.stop();
  }
}
