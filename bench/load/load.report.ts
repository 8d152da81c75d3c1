/** The run's report: written as `<out>/<timestamp>.json` and `<out>/<timestamp>.html`, and printed short. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { htmlReport } from './html-report.js';
import type { LoadReport } from './report-shape.js';

export function writeReports(report: LoadReport, outDir: string): { json: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = path.join(outDir, `${stamp}.json`);
  const html = path.join(outDir, `${stamp}.html`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, htmlReport(report));
  return { json, html };
}

export const machine = () => ({
  cpus: os.cpus().length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
});

/** The summary's lines for the terminal. */
export function summaryLines(report: LoadReport): string[] {
  const s = report.summary;
  const pad = (v: unknown, n: number) => String(v).padStart(n);
  const lines = [
    `${report.target}: ${report.options.users} users, ${s.durationSeconds} s, ${s.requests} requests, ${s.throughput} requests/s`,
    `latency ms: p50 ${s.latencyMs.p50}  p95 ${s.latencyMs.p95}  p99 ${s.latencyMs.p99}  max ${s.latencyMs.max}`,
    `answers: ${s.outcomes.ok} ok, ${s.outcomes.conflict} conflicts (409, expected), ${s.outcomes.rateLimited} rate limited (429), ` +
      `${s.failures} failures (${s.outcomes.clientError} 4xx, ${s.outcomes.serverError} 5xx, ${s.outcomes.network} no answer)`,
    `mix: ${Object.entries(s.tasks)
      .map(([t, v]) => `${t} ${(v.share * 100).toFixed(1)}% (planned ${v.planned * 100}%)`)
      .join(', ')}`,
    `projection lag: max ${s.projectionLag.maxEvents ?? '-'} events, ${s.projectionLag.maxSeconds ?? '-'} s over ${s.projectionLag.samples.length} samples`,
    `load average at the end (1, 5, 15 min): ${s.loadAverage.end.join(', ')} on ${report.machine.cpus} cores`,
    '',
    `${'route'.padEnd(36)} ${pad('requests', 8)} ${pad('ok', 6)} ${pad('409', 5)} ${pad('other', 5)} ${pad('p50', 7)} ${pad('p95', 7)} ${pad('p99', 7)}`,
  ];
  for (const [route, r] of Object.entries(s.routes) as Array<
    [string, Record<string, number> & { latencyMs: Record<string, number> }]
  >) {
    const other = r.requests - r.ok - r.conflict;
    lines.push(
      `${route.padEnd(36)} ${pad(r.requests, 8)} ${pad(r.ok, 6)} ${pad(r.conflict, 5)} ${pad(other, 5)} ${pad(r.latencyMs.p50, 7)} ${pad(r.latencyMs.p95, 7)} ${pad(r.latencyMs.p99, 7)}`,
    );
  }
  if (s.errors.length > 0) {
    lines.push('', 'answers other than 2xx:');
    for (const e of s.errors.slice(0, 12)) lines.push(`  ${e.count} x ${e.status} ${e.code || '-'}  ${e.route}`);
  }
  return lines;
}
