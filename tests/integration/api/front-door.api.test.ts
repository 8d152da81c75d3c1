/** What a newcomer opens first: `GET /` and the OpenAPI document behind /docs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../support/run-node-script.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /', () => {
  it('answers a small JSON index: name, version, and links to what this deployment serves', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      name: 'Rentlog',
      description: expect.any(String),
      version,
      links: { docs: '/docs', openapi: '/openapi.json', dashboard: '/dashboard', health: '/health/ready' },
    });
  });

  it('links only to pages that answer', async () => {
    const { links } = (await t.app.inject({ method: 'GET', url: '/' })).json() as { links: Record<string, string> };
    for (const url of Object.values(links)) {
      const res = await t.app.inject({ method: 'GET', url });
      expect([url, res.statusCode < 400]).toEqual([url, true]);
    }
  });
});

describe('/openapi.json', () => {
  let doc: {
    info: { version: string };
    paths: Record<string, Record<string, { 'x-access': unknown; security?: unknown; responses: object }>>;
  };
  beforeAll(async () => {
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });

  it("carries Rentlog's version and documents GET /", () => {
    expect(doc.info.version).toBe(version);
    expect(doc.paths['/']).toHaveProperty('get');
  });

  it('says who may call each route, with the bearer scheme and a 401 (and 403) where a sign-in is needed', () => {
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops).map(([m, op]) => ({ p, m, op })),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const { p, m, op } of operations) {
      const access = op['x-access'];
      const where = `${m.toUpperCase()} ${p}`;
      expect([where, access === 'anyone' || access === 'signed-in' || Array.isArray(access)]).toEqual([where, true]);
      if (access === 'anyone') expect([where, op.security]).toEqual([where, []]);
      else {
        // A user's own routes take a user's token; routes with roles an API key too.
        const security = access === 'signed-in' ? [{ bearer: [] }] : [{ bearer: [] }, { apiKey: [] }];
        expect([where, op.security]).toEqual([where, security]);
        expect(Object.keys(op.responses)).toContain('401');
        if (Array.isArray(access)) expect(Object.keys(op.responses)).toContain('403');
      }
    }
    expect(doc.paths['/v1/products'].post['x-access']).toEqual(['staff', 'admin']);
    expect(doc.paths['/v1/products'].get['x-access']).toBe('anyone');
    expect(doc.paths['/v1/auth/me'].get['x-access']).toBe('signed-in');
  });
});
