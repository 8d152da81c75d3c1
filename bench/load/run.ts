/**
 * `npm run load -- [url] --duration 60s --users 32 [--ramp 10s]`: a load test in Locust's manner against
 * a running Rentlog. It signs in as an admin (ADMIN_EMAIL / ADMIN_PASSWORD, or --admin-*), makes its own
 * products, customers and staff keys (load.setup.ts), then lets the virtual users run the mix
 * (virtual-user.ts: browse 60 %, availability 15 %, place order 10 %, pay 5 %, confirm/pickup/return
 * 10 %) while the projections' lag is sampled. A progress line on stderr; at the end the summary on
 * stdout and the reports in --out (JSON and a self-contained HTML page with charts).
 *
 * Exit code: 0 when the run completed without a 5xx or a request left unanswered, 1 otherwise, 2 on
 * wrong arguments or a failed setup.
 */
import { prng } from '../support.js';
import { Http } from './load.client.js';
import { parseOptions, USAGE, type LoadOptions } from './load.options.js';
import { machine, summaryLines, writeReports } from './load.report.js';
import type { LoadReport } from './report-shape.js';
import { setUpShop } from './load.setup.js';
import { LoadStats } from './load.stats.js';
import { startLagSampler } from './projection-lag.js';
import { VirtualUser } from './virtual-user.js';

const note = (text: string) => process.stderr.write(`[load] ${text}\n`);

function progressLine(stats: LoadStats, options: LoadOptions, active: number): string {
  const live = stats.live();
  const lag = stats.lag[stats.lag.length - 1];
  return (
    `${stats.elapsed().toFixed(0).padStart(4)}/${options.durationMs / 1000}s  users ${active}/${options.users}  ` +
    `${live.rps.toFixed(0).padStart(5)} req/s  ${live.requests} req  failures ${live.failures}  409 ${live.conflicts}  ` +
    `429 ${live.rateLimited}  p95 ${live.p95} ms  lag ${lag ? `${lag.events} ev ${lag.seconds} s` : '-'}`
  );
}

async function main(): Promise<number> {
  let options: LoadOptions;
  try {
    const parsed = parseOptions(process.argv.slice(2), process.env);
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const http = new Http(options.url, options.timeoutMs);
  note(`setting up against ${options.url}: ${options.products} products, ${options.users} customers`);
  const shop = await setUpShop(http, options, note).catch((error: Error) => {
    note(`setup failed: ${error.message}`);
    return undefined;
  });
  if (!shop) return 2;
  note(`setup done in ${shop.seconds} s (run tag ${shop.tag}); running the mix for ${options.durationMs / 1000} s`);

  const stats = new LoadStats();
  const startedAt = new Date(stats.startedAt).toISOString();
  const stopLag = startLagSampler(http, shop.admin, stats, options.lagIntervalMs, note);
  const deadline = performance.now() + options.durationMs;
  // Ctrl-C ends the run early, as Locust does: the users finish their request, the reports are written.
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    note('interrupted: ending the run and writing the reports (Ctrl-C again to quit at once)');
    process.once('SIGINT', () => process.exit(130));
  });
  const over = () => interrupted || performance.now() >= deadline;
  let active = 0;
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  const ticker = setInterval(() => {
    if (tty) process.stderr.write(`\r${progressLine(stats, options, active)}\x1b[K`);
    else if (stats.elapsed() - lastPrinted >= 5) {
      lastPrinted = stats.elapsed();
      process.stderr.write(`[load] ${progressLine(stats, options, active)}\n`);
    }
  }, 1000);
  const users = shop.actors.map(async (actor, i) => {
    const delay = options.users > 1 ? (options.rampMs * i) / options.users : 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (over()) return;
    active++;
    await new VirtualUser(http, shop, actor, stats, prng(1000 + i)).run(over, options.thinkMs);
    active--;
  });
  await Promise.all(users);
  const measured = stats.elapsed();
  clearInterval(ticker);
  // The last figures on the line (in a log, one more line: a short run may end before the first).
  if (tty) process.stderr.write(`\r${progressLine(stats, options, active)}\x1b[K\n`);
  else process.stderr.write(`[load] ${progressLine(stats, options, active)}\n`);
  await stopLag();

  const { adminEmail: _e, adminPassword: _p, url: _u, ...shown } = options;
  const report: LoadReport = {
    tool: 'rentlog-load',
    target: options.url,
    startedAt,
    finishedAt: new Date().toISOString(),
    options: shown,
    machine: machine(),
    setup: { seconds: shop.seconds, products: shop.products.length, customers: shop.actors.length, tag: shop.tag },
    summary: stats.summary(measured),
  };
  const files = writeReports(report, options.outDir);
  process.stdout.write(`${summaryLines(report).join('\n')}\n\nreports: ${files.json}\n         ${files.html}\n`);
  return report.summary.outcomes.serverError + report.summary.outcomes.network === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`load: ${error.stack ?? error.message}\n`);
    process.exit(2);
  },
);
