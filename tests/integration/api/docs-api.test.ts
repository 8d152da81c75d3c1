/**
 * docs/api.md is the HTTP contract as built: its route tables list exactly the routes the app serves
 * (those of /openapi.json, and the ones it hides: the docs, the document itself, the metrics), each
 * with the roles the app enforces (the document's `x-access`, taken from the routes' own config); and
 * no route it calls planned is served yet.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES } from '../../../application/ports/tokens.port.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'api.md'), 'utf8');
const section = (from: string, to: string) => doc.slice(doc.indexOf(from), doc.indexOf(to));
const HIDDEN = ['GET /docs', 'GET /openapi.json', 'GET /metrics', 'GET /dashboard', 'GET /dashboard/assets/{file}'];

/** `anyone`, `signed-in`, or the roles named in a "who" cell, sorted. */
function who(cell: string): string {
  if (cell.trim() === 'anyone') return 'anyone';
  if (cell.trim() === 'signed in') return 'signed-in';
  const roles = ROLES.filter((role) => new RegExp(`\\b${role}\\b`).test(cell));
  return [...roles].sort().join(', ');
}
const accessOf = (access: unknown): string =>
  Array.isArray(access) ? [...(access as string[])].sort().join(', ') : String(access);

let t: TestApp;
let served: Map<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { 'x-access': unknown }>>;
  };
  served = new Map(
    Object.entries(openapi.paths).flatMap(([p, ops]) =>
      Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, accessOf(op['x-access'])] as const),
    ),
  );
  for (const route of HIDDEN) served.set(route, 'anyone');
});
afterAll(() => t.close());

describe('docs/api.md', () => {
  const documented = new Map(
    [...section('## Routes', '## Planned').matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) (\S+) \| ([^|]+) \|/gm)].map(
      ([, method, url, cell]) => [`${method} ${url}`, who(cell)] as const,
    ),
  );

  it('lists every route the app serves, and no other, with the roles it enforces', () => {
    expect(documented.size).toBeGreaterThan(30);
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...served].sort()));
  });

  it('the routes the document hides are served to anyone', async () => {
    for (const route of HIDDEN) {
      const res = await t.app.inject({ method: 'GET', url: route.split(' ')[1].replace('{file}', 'dashboard.js') });
      expect([route, res.statusCode < 400]).toEqual([route, true]);
    }
  });

  it('serves none of the routes it calls planned', () => {
    const text = section('## Planned', '## Changes');
    const planned = [...text.matchAll(/`((?:GET|POST|PATCH|DELETE)(?:\|[A-Z]+)*) (\/[^`\s]+)`/g)].flatMap(
      ([, methods, url]) =>
        methods.split('|').flatMap((m) =>
          // `/v1/audit/{orders,customers}/{id}/as-of` names one route per area
          (/\{([a-z]+(?:,[a-z]+)+)\}/.exec(url)?.[1].split(',') ?? [null]).map(
            (area) => `${m} ${area ? url.replace(/\{[a-z,]+\}/, area) : url}`,
          ),
        ),
    );
    // Every bullet that names a route gives at least one (the list shrinks as routes are built).
    const bullets = text.split('\n- ').filter((b) => /`(?:GET|POST|PATCH|DELETE)[ |]/.test(b));
    expect(planned.length).toBeGreaterThanOrEqual(bullets.length);

    expect(planned.filter((route) => served.has(route))).toEqual([]);
  });
});
