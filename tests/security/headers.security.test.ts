/** Security headers on every class of answer, caching of personal and public answers, CORS and the metrics token. */
import { drill } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let productId: string;
beforeAll(async () => {
  t = await startTestApp({
    METRICS_TOKEN: 'metrics-token-0123456789',
    CORS_ORIGINS: 'https://shop.example, https://staff.example/',
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/products',
    payload: drill(),
    headers: t.authAs(['staff']),
  });
  productId = res.json().productId;
  await t.app.inject({
    method: 'GET',
    url: `/v1/products/${productId}`,
    headers: { 'x-min-position': res.json().position },
  });
});
afterAll(() => t.close());

const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

describe('security headers', () => {
  it.each([
    ['a public read', () => inject('GET', '/v1/products')],
    ['a signed-in read', () => inject('GET', '/v1/orders', t.authAs(['staff']))],
    ['a command', () => inject('POST', '/v1/products', t.authAs(['staff']), drill())],
    ['a problem answer', () => inject('GET', '/v1/orders')],
    ['an unknown route', () => inject('GET', '/nope')],
    ['the health check', () => inject('GET', '/health/live')],
    ['the OpenAPI document', () => inject('GET', '/openapi.json')],
  ])('are on %s', async (_what, request) => {
    const res = await request();
    expect(res.headers).toMatchObject({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('let /docs load its own scripts and styles, and nothing else', async () => {
    const res = await inject('GET', '/docs/');
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|\*|https:/);
  });
});

describe('caching', () => {
  it('marks every signed-in answer private and never stored', async () => {
    for (const res of [
      await inject('GET', '/v1/orders', t.authAs(['staff'])),
      await inject('GET', `/v1/products/${productId}`, t.authAs(['staff'])),
    ]) {
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('lets a public catalog read be revalidated: ETag, then 304 for If-None-Match', async () => {
    const one = await inject('GET', `/v1/products/${productId}`);
    expect(one.headers.etag).toBe('"0"');
    expect(one.headers['cache-control']).toBe('no-cache');
    const again = await inject('GET', `/v1/products/${productId}`, { 'if-none-match': '"0"' });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await inject('GET', `/v1/products/${productId}`, { 'if-none-match': '"9"' })).statusCode).toBe(200);

    const list = await inject('GET', '/v1/products');
    expect(list.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect((await inject('GET', '/v1/products', { 'if-none-match': String(list.headers.etag) })).statusCode).toBe(304);
  });
});

describe('CORS', () => {
  it('answers only the configured origins', async () => {
    const allowed = await inject('GET', '/v1/products', { origin: 'https://staff.example' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://staff.example');
    const other = await inject('GET', '/v1/products', { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is off when CORS_ORIGINS is not set', async () => {
    const plain = await startTestApp();
    try {
      const res = await plain.app.inject({
        method: 'GET',
        url: '/v1/products',
        headers: { origin: 'https://shop.example' },
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect((await plain.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200); // no token configured: open
    } finally {
      await plain.close();
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  it('answers the scraper that sends the token, and a 401 problem to anyone else', async () => {
    expect((await inject('GET', '/metrics', { authorization: 'Bearer metrics-token-0123456789' })).statusCode).toBe(
      200,
    );
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, t.authAs(['admin'])]) {
      const res = await inject('GET', '/metrics', headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
