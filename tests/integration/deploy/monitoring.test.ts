import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * deploy/: the Prometheus alert rules and the Grafana dashboard read only series that Rentlog's
 * /metrics exports (checked against a real scrape).
 */
const NOT_YET_EXPORTED = new Set<string>();

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string };
}

let t: TestApp;
let exported: Set<string>;
beforeAll(async () => {
  t = await startTestApp();
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  exported = new Set(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name],
    ),
  );
});
afterAll(() => t.close());

const seriesIn = (expr: string) => [...expr.matchAll(/\brentlog_[a-z0-9_]+/g)].map(([name]) => name);

describe('deploy/prometheus/rentlog-alerts.yml', () => {
  const rules = (
    parse(readFileSync('deploy/prometheus/rentlog-alerts.yml', 'utf8')) as { groups: Array<{ rules: Rule[] }> }
  ).groups.flatMap((g) => g.rules);

  it('has the alerts the issue asks for: lag, failed jobs, 5xx rate, verify failures', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'RentlogReadModelLagging',
        'RentlogJobsFailed',
        'RentlogHttp5xxRate',
        'RentlogAuditVerificationFailed',
      ]),
    );
    for (const rule of rules) {
      expect(rule.expr).toEqual(expect.any(String));
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
  });

  it('reads only series /metrics exports (or that are named as still to come)', () => {
    const names = rules.flatMap((r) => seriesIn(r.expr));
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !exported.has(n) && !NOT_YET_EXPORTED.has(n))).toEqual([]);
  });
});

describe('deploy/grafana/rentlog-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync('deploy/grafana/rentlog-dashboard.json', 'utf8')) as {
    uid: string;
    panels: Array<{
      title: string;
      gridPos: { x: number; y: number; w: number; h: number };
      targets: Array<{ expr: string }>;
    }>;
  };

  it('queries only series /metrics exports, with the business figures among them', () => {
    const names = dashboard.panels.flatMap((p) => p.targets.flatMap((q) => seriesIn(q.expr)));
    expect(names.filter((n) => !exported.has(n) && !NOT_YET_EXPORTED.has(n))).toEqual([]);
    for (const wanted of [
      'rentlog_revenue_minor_units',
      'rentlog_orders',
      'rentlog_rentals_active',
      'rentlog_projection_lag_events',
    ])
      expect(names).toContain(wanted);
  });

  it('lays its panels out without overlaps on the 24-column grid', () => {
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect([title, cells.has(`${x},${y}`)]).toEqual([title, false]);
          cells.add(`${x},${y}`);
        }
    }
  });
});
