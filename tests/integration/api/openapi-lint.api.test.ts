/**
 * /openapi.json as served, linted with Spectral (tests/support/openapi-ruleset.ts): no errors, no
 * warnings. And the ruleset is shown to catch what a route added without the platform would lack.
 */
import { writeFileSync } from 'node:fs';
import { lintOpenApi, type LintResult } from '../../support/openapi-ruleset.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let doc: Record<string, never>;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  if (process.env.DUMP_OPENAPI) writeFileSync(process.env.DUMP_OPENAPI, JSON.stringify(doc, null, 2));
});
afterAll(() => t.close());

const show = (results: LintResult[]) => results.map((r) => `${r.severity} ${r.code} ${r.path}: ${r.message}`);

it('has no Spectral findings', async () => {
  expect(show(await lintOpenApi(doc))).toEqual([]);
});

it('names what a route documented without the platform would lack', async () => {
  const broken = structuredClone(doc) as unknown as {
    paths: Record<string, unknown>;
    components: { securitySchemes: Record<string, unknown> };
  };
  broken.paths['/v1/widgets/{id}'] = {
    post: {
      tags: ['catalog'],
      description: 'A route added by hand',
      parameters: [
        { in: 'path', name: 'id', required: true, schema: { type: 'string' } },
        { in: 'header', name: 'Authorization', schema: { type: 'string' } },
      ],
      requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        200: { description: 'OK' },
        400: { description: 'Bad', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  };
  delete broken.components.securitySchemes.apiKey;
  const results = await lintOpenApi(broken);
  const codes = new Set(results.filter((r) => r.severity === 'error').map((r) => r.code));
  expect([...codes].sort()).toEqual(
    [
      // Every route with roles lists the apiKey scheme that was deleted.
      'oas3-operation-security-defined',
      'operation-operationId',
      'rentlog-no-credential-parameters',

      'rentlog-operation-summary',
      'rentlog-problem-shape',
      'rentlog-route-class-statuses',
      'rentlog-security-matches-access',
      'rentlog-security-schemes',
    ].sort(),
  );
  const missing = results.filter((r) => r.code === 'rentlog-route-class-statuses').map((r) => r.message);
  for (const status of [401, 404, 409, 413, 415, 429])
    expect(missing.some((m) => m.includes(`must document ${status}`))).toBe(true);
});
