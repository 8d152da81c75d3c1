/**
 * /openapi.json as a client reads it: the security schemes, per-route security from the roles the app
 * enforces, the header parameters the hooks read, and the problem answers. Each status a route class
 * can answer is provoked on a real route, and the answer is checked against the document: the status
 * is documented for that operation, the body is `application/problem+json` and valid against the
 * document's Problem schema.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../support/test-app.js';

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  'x-access': 'anyone' | 'signed-in' | string[];
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

let t: TestApp;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, string>>; schemas: Record<string, object> };
};
let operations: Array<[string, Operation]>;
let validProblem: (body: unknown) => boolean;

const id = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await startTestApp({ BODY_LIMIT_BYTES: '2048', READ_WAIT_TIMEOUT_MS: '0', RATE_LIMIT_QUERIES: '3' });
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
  );
  const ajv = new Ajv({ strict: false });
  addFormats.default(ajv);
  validProblem = ajv.compile(doc.components.schemas.Problem);
});
afterAll(() => t.close());

const op = (key: string): Operation => {
  const found = operations.find(([k]) => k === key);
  if (!found) throw new Error(`${key} is not documented`);
  return found[1];
};
const headerNames = (o: Operation) => (o.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);

describe('security', () => {
  it('declares the bearer scheme (Authorization) and the X-API-Key scheme', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
  });

  it('gives every operation the security its roles need, and names the roles in its description', () => {
    for (const [key, o] of operations) {
      if (o['x-access'] === 'anyone') expect([key, o.security]).toEqual([key, []]);
      // A user's own routes need a user's token; routes with roles take an API key too.
      else if (o['x-access'] === 'signed-in') expect([key, o.security]).toEqual([key, [{ bearer: [] }]]);
      else expect([key, o.security]).toEqual([key, [{ bearer: [] }, { apiKey: [] }]]);

      if (Array.isArray(o['x-access'])) expect(o.description).toContain(`Roles: ${o['x-access'].join(', ')}.`);
    }
    expect(op('POST /v1/orders/{id}/pickup')['x-access']).toEqual(['staff', 'admin']);
    expect(op('GET /v1/auth/me')['x-access']).toBe('signed-in');
    expect(op('GET /v1/products')['x-access']).toBe('anyone');
  });

  it('documents no credentials as parameters (OpenAPI ignores an Authorization parameter)', () => {
    for (const [key, o] of operations)
      expect([key, headerNames(o).filter((h) => /^(authorization|x-api-key)$/i.test(h))]).toEqual([key, []]);
  });
});

describe('operations', () => {
  it('each has a unique operationId, a summary and a description', () => {
    const ids = operations.map(([, o]) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, o] of operations) {
      expect([key, typeof o.operationId, !!o.summary, !!o.description]).toEqual([key, 'string', true, true]);
    }
    expect(op('POST /v1/orders/{id}/confirm').operationId).toBe('postOrdersByIdConfirm');
  });

  it('document the headers the hooks read where they read them', () => {
    for (const [key, o] of operations) {
      const method = key.split(' ')[0];
      const headers = headerNames(o);
      if ('412' in o.responses) expect([key, headers]).toEqual([key, expect.arrayContaining(['If-Match'])]);
      if (headers.includes('X-Min-Position')) expect([key, method, '503' in o.responses]).toEqual([key, 'GET', true]);
      if (headers.includes('Idempotency-Key')) expect([key, method, '422' in o.responses]).toEqual([key, 'POST', true]);
    }
    expect(headerNames(op('POST /v1/orders'))).toContain('Idempotency-Key');
    expect(headerNames(op('POST /v1/auth/login'))).not.toContain('Idempotency-Key');
    expect(headerNames(op('GET /v1/orders/{id}'))).toContain('X-Min-Position');
    expect(headerNames(op('POST /v1/orders/{id}/confirm'))).toContain('If-Match');
  });

  it('answer every problem as application/problem+json with the one Problem schema', () => {
    for (const [key, o] of operations)
      for (const [status, answer] of Object.entries(o.responses)) {
        if (Number(status) < 400 || (key === 'GET /health/ready' && status === '503')) continue;
        expect([key, status, answer.content]).toEqual([
          key,
          status,
          { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        ]);
      }
  });
});

describe('every status a route class answers is documented and shaped as documented', () => {
  const staff = () => t.authAs(['staff']);
  const customer = () => t.authAs(['customer'], { customerId: id });
  const probes: Array<[string, number, () => Promise<LightMyRequestResponse>]> = [
    ['POST /v1/orders', 400, () => t.app.inject({ method: 'POST', url: '/v1/orders', headers: staff(), payload: {} })],
    ['POST /v1/orders', 401, () => t.app.inject({ method: 'POST', url: '/v1/orders', payload: {} })],
    [
      'POST /v1/orders/{id}/pickup',
      403,
      () => t.app.inject({ method: 'POST', url: `/v1/orders/${id}/pickup`, headers: customer(), payload: {} }),
    ],
    ['GET /v1/orders/{id}', 404, () => t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: staff() })],
    [
      'POST /v1/products/{id}/retire',
      412,
      () =>
        t.app.inject({
          method: 'POST',
          url: `/v1/products/${id}/retire`,
          headers: { ...staff(), 'if-match': 'not-a-revision' },
          payload: {},
        }),
    ],
    [
      'POST /v1/customers',
      413,
      () =>
        t.app.inject({
          method: 'POST',
          url: '/v1/customers',
          headers: staff(),
          payload: { name: 'x'.repeat(4096), email: 'big@example.com' },
        }),
    ],
    [
      'POST /v1/customers',
      415,
      () =>
        t.app.inject({
          method: 'POST',
          url: '/v1/customers',
          headers: { ...staff(), 'content-type': 'text/plain' },
          payload: 'name=x',
        }),
    ],
    [
      'POST /v1/customers',
      422,
      async () => {
        const send = (name: string) =>
          t.app.inject({
            method: 'POST',
            url: '/v1/customers',
            headers: { ...staff(), 'idempotency-key': 'openapi-doc-422' },
            payload: { name, email: 'same.key@example.com' },
          });
        await send('First Body');
        return send('Another Body');
      },
    ],
    [
      'GET /v1/products/{id}',
      503,
      () => t.app.inject({ method: 'GET', url: `/v1/products/${id}`, headers: { 'x-min-position': '99999999' } }),
    ],
    [
      'GET /v1/products',
      429,
      async () => {
        const get = () => t.app.inject({ method: 'GET', url: '/v1/products', remoteAddress: '203.0.113.9' });
        for (let i = 0; i < 3; i++) await get();
        return get();
      },
    ],
  ];

  it.each(probes)('%s answers %i', async (key, status, send) => {
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(validProblem(body)).toBe(true);
    expect(body.instance).toEqual(expect.any(String));
    expect(Object.keys(op(key).responses)).toContain(String(status));
  });
});
