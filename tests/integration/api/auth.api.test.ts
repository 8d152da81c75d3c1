import { drill } from '../../support/fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// Forged, altered and revoked tokens: tests/security/tokens.security.test.ts.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const register = (headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/v1/products', payload: drill(), headers });
describe('access tokens and roles', () => {
  it('lets anyone browse the catalog', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/products' })).statusCode).toBe(200);
  });

  it('answers 401 with a Bearer challenge to a command without a token', async () => {
    const res = await register({});
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('answers 403 to a role that may not register products', async () => {
    expect((await register(t.authAs(['customer'], { customerId: 'c1' }))).statusCode).toBe(403);
    expect((await register(t.authAs(['analyst']))).statusCode).toBe(403);
    expect((await register(t.authAs(['admin']))).statusCode).toBe(201);
  });

  it('keeps analyst routes for analysts and admins', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/projections', headers: t.authAs(['analyst']) })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/projections', headers: t.authAs(['staff']) })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/projections' })).statusCode).toBe(401);
  });
});
