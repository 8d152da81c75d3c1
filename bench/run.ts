/**
 * `npm run bench`: event store appends, projection catch-up, order placement and HTTP, each beside its baseline, on a
 * fresh temp data dir (removed afterwards). Writes bench/results/latest.json and prints a summary.
 *
 * Knobs (environment, for investigation; a full default run is what latest.json should hold):
 *   BENCH_ONLY=append,projection,reports,orders,lists,sessions,privacy,audit,jobs,notifications,http,compare,flood  run a subset (results then go to bench/results/partial.json.tmp)
 *   BENCH_QUICK=1                       smaller growth sizes: projection over 200k events, placements up to 10k past rentals, order lists up to 10k
 *   BENCH_PROJECTION_EVENTS=1000000     events of the projection catch-up (a quarter registrations, the rest updates)
 *   BENCH_JOBS=10000                    jobs enqueued and run by the jobs step
 *   BENCH_NOTIFICATIONS_EVENTS=10000    OrderPlaced events turned into mails by the notifications step's throughput part
 *   BENCH_NOTIFICATIONS_CONFIRMATIONS=300  confirmations timed to their mail by its latency part
 *   BENCH_NOTIFICATIONS_BACKGROUND_PER_S=2  orders placed a second beside them (paced: below what the worker sends)
 *   BENCH_FLOOD_SECONDS=10              measured seconds of the login-flood scenario
 *   BENCH_HTTP_SECONDS=10               measured seconds per HTTP scenario (http step)
 *   BENCH_SECONDS=20                    measured seconds per route, target and round (compare step)
 *   BENCH_ROUNDS=3                      interleaved rounds of the compare step
 *   BENCH_COMPARE_TARGETS=limit,all,split,emmett  the compare step's targets
 *   BENCH_UPDATE_LATEST=1               a run of some steps updates latest.json with their figures (partialUpdates says so)
 *   BENCH_CPU_PROF_DIR=/some/dir        run the HTTP servers under `node --cpu-prof` writing there
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAppends } from './append.bench.js';
import { benchAudit } from './audit.bench.js';
import { benchCompare, COMPARE_GOALS, compareParamsFromEnv } from './compare.bench.js';
import { benchHttp, defaultHttpParams } from './http.bench.js';
import { benchJobs } from './jobs.bench.js';
import { benchLoginFlood } from './login-flood.bench.js';
import { benchNotifications } from './notifications.bench.js';
import { benchOrderLists, defaultOrderListParams, quickOrderListParams } from './order-lists.bench.js';
import { benchOrders, defaultOrdersParams, quickOrdersParams } from './orders.bench.js';
import { benchPrivacy } from './privacy.bench.js';
import { benchProjection, defaultProjectionParams } from './projection.bench.js';
import { benchReports } from './reports.bench.js';
import { benchSessions } from './sessions.bench.js';
import { machineInfo, makeTempDir, progress } from './support.js';

type Measurement = { value: number; unit: string; [key: string]: unknown };

const GOALS: Array<{ ratio: string; atLeast?: number; above?: number; atMost?: number }> = [
  { ratio: 'commandVsBarePost', atLeast: 0.7 },
  { ratio: 'projectionVsRawUpsert', atLeast: 0.3 },
  { ratio: 'queryVsBareGet', atLeast: 0.6 },
  { ratio: 'productP99UnderLoginFloodVsIdle', atMost: 2 },
  // Encryption of personal data: at most 15% slower than the same path without it.
  { ratio: 'registerCustomerEncryptedVsPlain', atLeast: 0.87 },
  { ratio: 'readCustomerEncryptedVsPlain', atLeast: 0.87 },
  { ratio: 'getCustomerEncryptedVsPlain', atLeast: 0.87 },
  // Issue 12: Rentlog vs the limit routes and the Emmett peer (compare step).
  ...COMPARE_GOALS,
];

async function main(): Promise<number> {
  const steps = new Set(
    (
      process.env.BENCH_ONLY ??
      'append,projection,reports,orders,lists,sessions,privacy,audit,jobs,notifications,http,compare,flood'
    )
      .split(',')
      .map((s) => s.trim()),
  );
  const full = [
    'append',
    'projection',
    'reports',
    'orders',
    'lists',
    'sessions',
    'privacy',
    'audit',
    'jobs',
    'notifications',
    'http',
    'compare',
    'flood',
  ].every((s) => steps.has(s));
  const httpParams = {
    ...defaultHttpParams,
    seconds: Number(process.env.BENCH_HTTP_SECONDS ?? defaultHttpParams.seconds),
  };
  // BENCH_QUICK=1: the growth steps at smaller sizes (a figure of a quick run says so in its params).
  const quick = process.env.BENCH_QUICK !== undefined && process.env.BENCH_QUICK !== '0';
  const projectionEvents = Number(process.env.BENCH_PROJECTION_EVENTS ?? (quick ? 200_000 : 1_000_000));
  const projectionParams = {
    ...defaultProjectionParams,
    products: Math.round(projectionEvents / 4),
    updates: projectionEvents - Math.round(projectionEvents / 4),
  };
  const profileDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;

  const temp = makeTempDir('rentlog-bench-');
  const removeOnSignal = (): void => {
    temp.remove();
    process.exit(130);
  };
  process.once('SIGINT', removeOnSignal);
  progress(`data dir ${temp.dir}`);
  const machine = machineInfo();
  const measurements: Record<string, Measurement> = {};
  const ratios: Record<string, number> = {};
  const notes: Record<string, unknown> = {};
  const started = Date.now();
  try {
    const inDirectory: Array<
      [string, (dir: string) => Promise<{ measurements: object; ratios: Record<string, number> }>]
    > = [
      ['append', benchAppends],
      ['projection', (dir) => benchProjection(dir, projectionParams)],
      ['reports', (dir) => benchReports(dir)],
      ['orders', (dir) => benchOrders(dir, quick ? quickOrdersParams : defaultOrdersParams)],
      ['lists', (dir) => benchOrderLists(dir, quick ? quickOrderListParams : defaultOrderListParams)],
      ['sessions', benchSessions],
      ['privacy', benchPrivacy],
      ['audit', (dir) => benchAudit(dir)],
      ['jobs', benchJobs],
      ['notifications', benchNotifications],
      ['flood', benchLoginFlood],
    ];
    for (const [step, run] of inDirectory) {
      if (!steps.has(step)) continue;
      const dir = path.join(temp.dir, step);
      mkdirSync(dir);
      const r = await run(dir);
      Object.assign(measurements, r.measurements);
      Object.assign(ratios, r.ratios);
    }
    if (steps.has('http')) {
      const r = await benchHttp(temp.dir, httpParams, profileDir);
      Object.assign(measurements, r.measurements);
      Object.assign(ratios, r.ratios);
      notes.realServerStats = r.realServerStats;
      if (profileDir) notes.cpuProfiles = profileDir;
    }
    if (steps.has('compare')) {
      const dir = path.join(temp.dir, 'compare');
      mkdirSync(dir);
      const r = await benchCompare(dir, compareParamsFromEnv(), profileDir);
      Object.assign(measurements, r.measurements);
      Object.assign(ratios, r.ratios);
      notes.compare = r.notes;
    }
  } finally {
    temp.remove();
    process.off('SIGINT', removeOnSignal);
  }

  const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const latestFile = path.join(resultsDir, 'latest.json');
  // BENCH_UPDATE_LATEST=1 on a run of some steps: their figures replace those in latest.json (the rest
  // stay from the run that made them; `partialUpdates` says which steps came when, at what load).
  const update = !full && process.env.BENCH_UPDATE_LATEST === '1' && existsSync(latestFile);
  const previous = update
    ? (JSON.parse(readFileSync(latestFile, 'utf8')) as {
        measurements: Record<string, Measurement>;
        ratios: Record<string, number>;
        partialUpdates?: unknown[];
      })
    : null;
  if (previous) {
    for (const [name, value] of Object.entries(previous.measurements)) measurements[name] ??= value;
    for (const [name, value] of Object.entries(previous.ratios)) ratios[name] ??= value;
  }

  const goals = GOALS.filter((g) => ratios[g.ratio] !== undefined).map((g) => ({
    ratio: g.ratio,
    target: [
      g.atLeast === undefined ? null : `>= ${g.atLeast}`,
      g.above === undefined ? null : `> ${g.above}`,
      g.atMost === undefined ? null : `<= ${g.atMost}`,
    ]
      .filter((t) => t !== null)
      .join(' and '),
    measured: ratios[g.ratio],
    met:
      (g.atLeast === undefined || ratios[g.ratio] >= g.atLeast) &&
      (g.above === undefined || ratios[g.ratio] > g.above) &&
      (g.atMost === undefined || ratios[g.ratio] <= g.atMost),
  }));

  const invalid = Object.entries(measurements)
    .filter(([, m]) => m.valid === false)
    .map(([name, m]) => `${name}: ${String(m.invalidReason ?? 'non-2xx responses or errors')}`);
  const fresh = {
    machine,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    settings: { quick, projectionEvents },
    measurements,
    ratios,
    goals,
    invalid,
    notes,
  };
  // An update keeps the earlier run's machine and settings, and says which steps were run again.
  const report = previous
    ? {
        ...previous,
        measurements,
        ratios,
        goals,
        invalid,
        notes: { ...(previous as { notes?: object }).notes, ...notes },
        partialUpdates: [
          ...(previous.partialUpdates ?? []),
          {
            steps: [...steps],
            machine,
            loadAverageAtEnd: fresh.loadAverageAtEnd,
            totalSeconds: fresh.totalSeconds,
            settings: fresh.settings,
          },
        ],
      }
    : fresh;

  const file = full || previous ? latestFile : path.join(resultsDir, 'partial.json.tmp');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${path.relative(process.cwd(), file)}`);
  process.stdout.write(summary(fresh, file));
  return 0;
}

function summary(
  report: {
    machine: ReturnType<typeof machineInfo>;
    measurements: Record<string, Measurement>;
    ratios: Record<string, number>;
    goals: Array<{ ratio: string; target: string; measured: number; met: boolean }>;
    invalid: string[];
    totalSeconds: number;
  },
  file: string,
): string {
  const m = report.machine;
  const lines = [
    `Rentlog benchmark — ${m.date}, node ${m.node}, ${m.cpus.count} × ${m.cpus.model}, temp fs ${m.tempFilesystem}, load avg at start ${m.loadAverageAtStart.join(' ')}`,
    '',
  ];
  const width = Math.max(...Object.keys(report.measurements).map((k) => k.length));
  for (const [name, x] of Object.entries(report.measurements)) {
    const latency = x.latencyMs as { p50: number; p99: number } | undefined;
    const extra = latency ? `  p50 ${latency.p50} ms  p99 ${latency.p99} ms  non-2xx ${String(x.non2xx)}` : '';
    const flag =
      x.valid === false
        ? '  INVALID'
        : (x.params as { diagnostic?: boolean } | undefined)?.diagnostic
          ? '  (diagnostic)'
          : '';
    lines.push(`  ${name.padEnd(width)}  ${String(x.value).padStart(10)} ${x.unit}${extra}${flag}`);
  }
  lines.push('', 'Ratios:');
  for (const [name, value] of Object.entries(report.ratios)) {
    const goal = report.goals.find((g) => g.ratio === name);
    lines.push(
      `  ${name.padEnd(width)}  ${String(value).padStart(10)}${goal ? `  goal ${goal.target}: ${goal.met ? 'met' : 'MISSED'}` : ''}`,
    );
  }
  for (const problem of report.invalid) lines.push(`INVALID: ${problem}`);
  lines.push('', `${report.totalSeconds}s in all; results in ${path.relative(process.cwd(), file)}`, '');
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
