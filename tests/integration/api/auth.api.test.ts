import jwt from 'jsonwebtoken';
import { drill } from '../../support/fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const secret = 'x'.repeat(40);
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ JWT_SECRET: secret });
});
afterAll(() => t.close());

const register = (headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/v1/products', payload: drill(), headers });
const sign = (payload: object, options: jwt.SignOptions = {}, withExpiry = true) =>
  `Bearer ${jwt.sign(payload, secret, { algorithm: 'HS256', issuer: 'rentlog', audience: 'rentlog-api', subject: 'u1', ...(withExpiry ? { expiresIn: 60 } : {}), ...options })}`;

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

  it.each([
    [
      'a token signed with another key',
      `Bearer ${jwt.sign({ roles: ['admin'] }, 'y'.repeat(40), { algorithm: 'HS256', issuer: 'rentlog', audience: 'rentlog-api', subject: 'u1', expiresIn: 60 })}`,
    ],
    ['an expired token', sign({ roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 10 }, {}, false)],
    ['a token for another audience', sign({ roles: ['admin'] }, { audience: 'elsewhere' })],
    ['a token from another issuer', sign({ roles: ['admin'] }, { issuer: 'mallory' })],
    ['a token without exp', sign({ roles: ['admin'] }, {}, false)],
    [
      'an unsigned token (alg none)',
      `Bearer ${jwt.sign({ roles: ['admin'], sub: 'u1', iss: 'rentlog', aud: 'rentlog-api', exp: 9999999999 }, '', { algorithm: 'none' })}`,
    ],
    ['an HS512 token', sign({ roles: ['admin'] }, { algorithm: 'HS512' })],
    ['a malformed header', 'Basic YWRtaW46YWRtaW4='],
  ])('refuses %s with 401 and appends nothing', async (_what, authorization) => {
    const before = await t.infra.events.headPosition();
    const res = await register({ authorization });
    expect(res.statusCode).toBe(401);
    expect(await t.infra.events.headPosition()).toBe(before);
  });

  it('accepts a valid HS256 token with the right claims', async () => {
    expect((await register({ authorization: sign({ roles: ['staff'] }) })).statusCode).toBe(201);
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
