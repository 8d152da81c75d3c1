/** The run's report as one self-contained HTML file: tables and inline SVG charts, no script, nothing fetched. */
import type { LoadReport } from './report-shape.js';
import { barChart, escapeHtml, lineChart } from './svg-charts.js';

/** Short names for the bars' labels. */
const SHORT: Record<string, string> = {
  'GET /v1/products': 'list',
  'GET /v1/products/:id': 'product',
  'GET /v1/products/:id/availability': 'availability',
  'POST /v1/orders': 'place',
  'POST /v1/orders/:id/cancel': 'cancel',
  'POST /v1/orders/:id/payments': 'pay',
  'POST /v1/orders/:id/confirm': 'confirm',
  'POST /v1/orders/:id/pickup': 'pickup',
  'POST /v1/orders/:id/return': 'return',
};
const shortRoute = (route: string): string => SHORT[route] ?? route;

const cell = (v: unknown) => `<td>${escapeHtml(String(v ?? ''))}</td>`;

export function htmlReport(report: LoadReport): string {
  const s = report.summary;
  const routes = Object.entries(s.routes) as Array<
    [string, Record<string, unknown> & { latencyMs: Record<string, number> }]
  >;
  const throughput = lineChart(
    'chart-throughput',
    'Requests per second',
    [
      { name: 'requests', color: '#2563eb', points: s.timeline.map((p) => [p.t, p.requests]) },
      { name: 'conflicts (409)', color: '#d97706', points: s.timeline.map((p) => [p.t, p.conflicts]) },
      { name: 'failures', color: '#dc2626', points: s.timeline.map((p) => [p.t, p.failures]) },
    ],
    'seconds since start',
    'requests',
  );
  const p95 = lineChart(
    'chart-latency',
    'p95 latency per second (ms)',
    [{ name: 'p95', color: '#7c3aed', points: s.timeline.map((p) => [p.t, p.p95Ms]) }],
    'seconds since start',
    'ms',
  );
  const lag = lineChart(
    'chart-lag',
    'Projection lag (largest read model, events behind the log)',
    [{ name: 'lag (events)', color: '#059669', points: s.projectionLag.samples.map((p) => [p.t, p.events]) }],
    'seconds since start',
    'events',
  );
  const perRoute = barChart(
    'chart-routes',
    'Latency per route (ms)',
    routes.map(([r]) => shortRoute(r)),
    (['p50', 'p95', 'p99'] as const).map((q, i) => ({
      name: q,
      color: ['#93c5fd', '#3b82f6', '#1e3a8a'][i],
      values: routes.map(([, r]) => r.latencyMs[q]),
    })),
    'ms',
  );
  const tasks = Object.entries(s.tasks);
  const mix = barChart(
    'chart-mix',
    'Mix: planned and measured share of requests',
    tasks.map(([t]) => t),
    [
      { name: 'planned', color: '#9ca3af', values: tasks.map(([, t]) => t.planned) },
      { name: 'measured', color: '#2563eb', values: tasks.map(([, t]) => t.share) },
    ],
    'share',
  );
  const routeRows = routes
    .map(([route, r]) =>
      [route, r.task, r.requests, r.ok, r.conflict, r.rateLimited, r.clientError, r.serverError, r.network]
        .map(cell)
        .concat(['p50', 'p95', 'p99', 'max'].map((q) => cell(r.latencyMs[q])))
        .join(''),
    )
    .map((row) => `<tr>${row}</tr>`)
    .join('\n');
  const errorRows = s.errors
    .map((e) => `<tr>${[e.route, e.status, e.code, e.count].map(cell).join('')}</tr>`)
    .join('\n');
  const o = report.options;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rentlog load test ${escapeHtml(report.startedAt)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:8px 0 24px}
td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:right}td:first-child,th:first-child{text-align:left}
.chart{display:block;margin:12px 0;max-width:100%;height:auto}.figures span{margin-right:24px}</style></head>
<body><h1>Rentlog load test</h1>
<p>${escapeHtml(report.target)}: ${o.users} virtual users for ${o.durationMs / 1000} s (ramp ${o.rampMs / 1000} s,
think ${o.thinkMs} ms), started ${escapeHtml(report.startedAt)}; setup ${report.setup.seconds} s.
Load average at the end: ${s.loadAverage.end.join(', ')} (${report.machine.cpus} cores).</p>
<p class="figures"><span><b>${s.throughput}</b> requests/s</span><span><b>${s.requests}</b> requests</span>
<span>p50 <b>${s.latencyMs.p50}</b> ms</span><span>p95 <b>${s.latencyMs.p95}</b> ms</span><span>p99 <b>${s.latencyMs.p99}</b> ms</span>
<span>conflicts (409) <b>${s.outcomes.conflict}</b></span><span>rate limited <b>${s.outcomes.rateLimited}</b></span>
<span>failures <b>${s.failures}</b></span><span>lag max <b>${s.projectionLag.maxEvents ?? '-'}</b> events</span></p>
${throughput}
${p95}
${lag}
${perRoute}
${mix}
<h2>Routes</h2><table><tr><th>route</th><th>task</th><th>requests</th><th>ok</th><th>409</th><th>429</th><th>4xx</th><th>5xx</th><th>no answer</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>
${routeRows}</table>
<h2>Answers other than 2xx, by status and code</h2><table><tr><th>route</th><th>status</th><th>code</th><th>count</th></tr>
${errorRows || '<tr><td colspan="4">none</td></tr>'}</table>
</body></html>
`;
}
