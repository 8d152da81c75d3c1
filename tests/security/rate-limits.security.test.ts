/** Rate limits per route class and caller, shared through the store, exact under concurrency, not fooled by a spoofed X-Forwarded-For. */
import { startTestApp, type TestApp } from '../support/test-app.js';

const LIMITS = {
  RATE_LIMIT_SIGN_IN: '5',
  RATE_LIMIT_QUERIES: '100',
  RATE_LIMIT_COMMANDS: '50',
  RATE_LIMIT_WINDOW_SECONDS: '60',
};
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(LIMITS);
});
afterAll(() => t.close());

// A new email each time: what is counted here is the address, not the email's own lockout.
let n = 0;
const login = (remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    remoteAddress,
    headers,
    payload: { email: `nobody${++n}@example.com`, password: 'not-the-password' },
  });

describe('rate limits', () => {
  it('answer the sign-in budget per client address with RateLimit-* headers, then a 429 problem with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await login('10.0.0.1'));
    expect(answers.slice(0, 5).map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);
    expect(answers[0].headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '4' });
    expect(Number(answers[0].headers['ratelimit-reset'])).toBeGreaterThan(0);
    const refused = answers[5];
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // Another address has its own budget; other route classes are not spent by sign-ins.
    expect((await login('10.0.0.2')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/v1/products', remoteAddress: '10.0.0.1' })).statusCode).toBe(
      200,
    );
  });

  it('spend the sign-in budget on the OIDC routes too (one budget with login)', async () => {
    const oidc = (step: string) =>
      t.app.inject({ method: 'GET', url: `/v1/auth/oidc/corp/${step}?code=c&state=s`, remoteAddress: '10.0.0.4' });
    for (let i = 0; i < 3; i++) expect((await login('10.0.0.4')).statusCode).toBe(401);
    expect((await oidc('start')).statusCode).toBe(404); // no provider is configured here
    expect((await oidc('callback')).statusCode).toBe(404);
    expect((await oidc('callback')).statusCode).toBe(429);
    expect((await login('10.0.0.4')).statusCode).toBe(429);
  });

  it('count a spoofed X-Forwarded-For against the socket address (TRUST_PROXY is off)', async () => {
    for (let i = 0; i < 5; i++) await login('10.0.0.3', { 'x-forwarded-for': `192.0.2.${i}` });
    expect((await login('10.0.0.3', { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
  });

  it('count signed-in callers by user, wherever they come from', async () => {
    const ann = t.authAs(['staff'], { userId: 'ann' });
    const results = [];
    for (let i = 0; i < 51; i++) {
      results.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/v1/products/00000000-0000-4000-8000-000000000000/retire',
            remoteAddress: `10.1.0.${i % 200}`,
            headers: ann,
            payload: {},
          })
        ).statusCode,
      );
    }
    expect(results.filter((s) => s === 429)).toHaveLength(1);
    expect(results.at(-1)).toBe(429);
    const bob = t.authAs(['staff'], { userId: 'bob' });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/v1/products/00000000-0000-4000-8000-000000000000/retire',
          headers: bob,
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
  });

  it('hold exactly under 200 concurrent requests: 100 answered, 100 refused', async () => {
    const carl = t.authAs(['staff'], { userId: 'carl' });
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => t.app.inject({ method: 'GET', url: '/v1/products', headers: carl })),
    );
    const counts = answers.reduce<Record<number, number>>(
      (c, r) => ({ ...c, [r.statusCode]: (c[r.statusCode] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ 200: 100, 429: 100 });
  });

  it('leave health, metrics and docs alone', async () => {
    for (let i = 0; i < 120; i++)
      expect((await t.app.inject({ method: 'GET', url: '/health/live', remoteAddress: '10.9.9.9' })).statusCode).toBe(
        200,
      );
  });
});

describe('rate limits behind a trusted proxy', () => {
  it('count the client address the trusted proxy forwards', async () => {
    const proxied = await startTestApp({ ...LIMITS, TRUST_PROXY: '10.0.0.254' });
    try {
      const through = (client: string) =>
        proxied.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          remoteAddress: '10.0.0.254',
          headers: { 'x-forwarded-for': client },
          payload: { email: `x${++n}@example.com`, password: 'not-the-password' },
        });
      for (let i = 0; i < 5; i++) expect((await through('203.0.113.1')).statusCode).toBe(401);
      expect((await through('203.0.113.1')).statusCode).toBe(429);
      expect((await through('203.0.113.2')).statusCode).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});
