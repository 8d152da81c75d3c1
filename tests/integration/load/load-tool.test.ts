/**
 * `npm run load` (bench/load/run.ts) against a real server process: Rentlog started from dist/ with an
 * admin, the load tool run from dist/ for a few seconds with a few users, then its JSON summary and its
 * HTML report read back. The figures are not judged (no timings asserted), only that the mix reached
 * every route in about its share, nothing failed on the server's side, and the report holds what it says.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildOnce, childEnv, freePort, startBuilt, stop, type Started } from '../../support/npm-start.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const ADMIN = { ADMIN_EMAIL: 'load-admin@rentlog.example', ADMIN_PASSWORD: 'tall-battery-staple-7' };
const MIX_ROUTES = [
  'GET /v1/products',
  'GET /v1/products/:id',
  'GET /v1/products/:id/availability',
  'POST /v1/orders',
  'POST /v1/orders/:id/payments',
  'POST /v1/orders/:id/confirm',
  'POST /v1/orders/:id/pickup',
  'POST /v1/orders/:id/return',
];

interface Route {
  task: string;
  requests: number;
  ok: number;
  conflict: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}
interface Report {
  target: string;
  summary: {
    requests: number;
    throughput: number;
    failures: number;
    outcomes: Record<string, number>;
    tasks: Record<string, { planned: number; share: number; requests: number }>;
    routes: Record<string, Route>;
    errors: Array<{ route: string; status: number; code: string; count: number }>;
    timeline: Array<{ t: number; requests: number }>;
    projectionLag: { samples: Array<{ t: number; events: number; seconds: number }> };
    loadAverage: { end: number[] };
  };
}

function runLoad(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['dist/bench/load/run.js', ...args], {
    cwd: PROJECT_ROOT,
    env: childEnv({ LOAD_ADMIN_EMAIL: ADMIN.ADMIN_EMAIL, LOAD_ADMIN_PASSWORD: ADMIN.ADMIN_PASSWORD }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

let server: Started;
let dataDir: string;
let outDir: string;
let run: { code: number | null; stdout: string; stderr: string };
let report: Report;
let html: string;

beforeAll(async () => {
  buildOnce();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-load-'));
  outDir = path.join(dataDir, 'reports');
  server = await startBuilt(path.join(dataDir, 'data'), await freePort(), ADMIN);
  run = await runLoad([
    server.url,
    '--duration',
    '6s',
    '--users',
    '3',
    '--ramp',
    '1s',
    '--lag-interval',
    '500ms',
    '--out',
    outDir,
  ]);
  const files = readdirSync(outDir);
  report = JSON.parse(
    readFileSync(
      path.join(
        outDir,
        files.find((f) => f.endsWith('.json'))!,
      ),
      'utf8',
    ),
  ) as Report;
  html = readFileSync(
    path.join(
      outDir,
      files.find((f) => f.endsWith('.html'))!,
    ),
    'utf8',
  );
}, 120_000);

afterAll(async () => {
  if (server) await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run load against a running server', () => {
  it('completes, prints its progress on stderr and its summary on stdout', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/req\/s .* failures \d+ .* p95 [\d.]+ ms {2}lag /);
    expect(run.stdout).toContain(`${server.url}: 3 users`);
    expect(run.stdout).toMatch(/latency ms: p50 [\d.]+ {2}p95 [\d.]+ {2}p99 [\d.]+/);
  });

  it('sends every route of the mix, each task in about its planned share', () => {
    const { routes, tasks, requests } = report.summary;
    expect(requests).toBeGreaterThan(100);
    for (const route of MIX_ROUTES) expect(routes[route]?.ok).toBeGreaterThan(0);
    // Few seconds and few users: the shares wobble, and payments and the counter's steps start late
    // (they need orders first), so a generous band around the plan.
    for (const [task, { planned, share }] of Object.entries(tasks)) {
      expect([task, share]).toEqual([task, expect.any(Number)]);
      expect(share).toBeGreaterThan(planned * 0.6);
      expect(share).toBeLessThan(planned * 1.4);
    }
    expect(Object.values(tasks).reduce((n, t) => n + t.requests, 0)).toBe(requests);
  });

  it('meets no 5xx and no unanswered request; 409s are counted apart from failures', () => {
    const { outcomes, errors, failures } = report.summary;
    expect(outcomes.serverError).toBe(0);
    expect(outcomes.network).toBe(0);
    expect(errors.filter((e) => e.status >= 500 || e.status === 0)).toEqual([]);
    const conflicts = errors.filter((e) => e.status === 409).reduce((n, e) => n + e.count, 0);
    expect(outcomes.conflict).toBe(conflicts);
    expect(failures).toBe(outcomes.clientError + outcomes.serverError + outcomes.network);
    for (const e of errors.filter((x) => x.status === 409)) expect(e.code).toMatch(/^[A-Z_]+$/);
  });

  it('gives latencies per route and the projections lag sampled over time', () => {
    for (const route of MIX_ROUTES) {
      const { p50, p95, p99, max } = report.summary.routes[route].latencyMs;
      expect(p50).toBeGreaterThan(0);
      expect(p95).toBeGreaterThanOrEqual(p50);
      expect(p99).toBeGreaterThanOrEqual(p95);
      expect(max).toBeGreaterThanOrEqual(p99);
    }
    const samples = report.summary.projectionLag.samples;
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (const s of samples)
      expect(s).toEqual(expect.objectContaining({ events: expect.any(Number), seconds: expect.any(Number) }));
    expect(report.summary.timeline.length).toBeGreaterThanOrEqual(5);
    expect(report.summary.loadAverage.end).toHaveLength(3);
  });

  it('writes a self-contained HTML report with its charts', () => {
    for (const id of ['chart-throughput', 'chart-latency', 'chart-lag', 'chart-routes', 'chart-mix']) {
      const chart = new RegExp(`<svg class="chart" id="${id}"[\\s\\S]*?</svg>`).exec(html)?.[0];
      expect([id, chart !== undefined]).toEqual([id, true]);
      expect(chart).toMatch(/<path class="series" d="M[\d.]+,[\d.]+L|<rect class="bar" /);
    }
    expect(html).toContain('POST /v1/orders/:id/payments');
    // Nothing fetched: no scripts, no stylesheets or images from elsewhere.
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
  });
});
