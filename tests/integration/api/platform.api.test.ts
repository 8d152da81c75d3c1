/** What every route shares: list cursors, tokens on public routes, body depth, problem codes. */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { postWebhook, webhook, WEBHOOK_SECRET } from '../../support/payment-fixtures.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const secret = 'z'.repeat(40);
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ JWT_SECRET: secret, PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET });
  s = shop(t);
  for (const category of ['tools', 'tools', 'tools', 'events']) await s.product({ category });
});
afterAll(() => t.close());

const forged = (body: unknown) => Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('page cursors', () => {
  it.each([
    ['garbage', 'not-a-cursor'],
    ['forged JSON', forged({ k: ['nameKey', '_id'], v: [{ $ne: null }, 'x'] })],
    ['a cursor of another shape', forged([1, 2, 3])],
  ])('answer %s on an anonymous list with a 400 problem', async (_what, cursor) => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/products?cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });

  it('refuse a cursor made for another list (another filter) with a 400, and follow their own', async () => {
    const first = (await t.app.inject({ method: 'GET', url: '/v1/products?category=tools&limit=2' })).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const own = await t.app.inject({
      method: 'GET',
      url: `/v1/products?category=tools&limit=2&cursor=${first.nextCursor}`,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().items).toHaveLength(1);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/v1/products?category=events&limit=2&cursor=${first.nextCursor}`,
    });
    expect(foreign.json()).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    const otherSort = await t.app.inject({
      method: 'GET',
      url: `/v1/products?category=tools&sort=dailyRate&cursor=${first.nextCursor}`,
    });
    expect(otherSort.json()).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });

  it.each(['/v1/orders', '/v1/customers', '/v1/payments'])('are a 400 on %s too', async (url) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${url}?cursor=${forged({ l: 'x', k: ['a'], v: [1] })}`,
      headers: s.staff(),
    });
    expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
  });
});

describe('tokens on public routes', () => {
  // A real staff token, re-signed with the app's key to have expired a minute past the allowed skew.
  let expired: string;
  beforeAll(() => {
    const genuine = s.staff().authorization.slice('Bearer '.length);
    const { header, payload } = jwt.decode(genuine, { complete: true }) as {
      header: jwt.JwtHeader;
      payload: jwt.JwtPayload;
    };
    const exp = Math.floor(Date.now() / 1000) - 90;
    expired = `Bearer ${jwt.sign({ ...payload, iat: exp - 900, exp }, secret, { header })}`;
  });

  it('an expired token on a route open to anyone is an anonymous call', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/products', headers: { authorization: expired } });
    expect(res.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/products', headers: { authorization: 'Basic abc' } })).statusCode,
    ).toBe(200);
  });

  it('the same token on a signed-in route is a 401 invalid_token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: expired } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });
});

describe('deeply nested JSON', () => {
  it('on the webhook route, with an Idempotency-Key, is a 400 problem that changes nothing', async () => {
    const before = await t.infra.events.headPosition();
    const body = `{"id":"evt_deep","type":"payment.authorized","created":1,"data":${deep(10_000)}}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/payments/webhooks/sandbox',
      payload: body,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'deep-1',
        'rentlog-signature': 't=1,v1=' + '0'.repeat(64),
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'BODY_TOO_DEEP' });
    expect(await t.infra.events.headPosition()).toBe(before);
  });

  it('on a command route is a 400 problem too; 32 levels are still accepted by the parser', async () => {
    const refused = await s.post('/v1/products', JSON.parse(deep(33)));
    expect(refused.json()).toMatchObject({ status: 400, code: 'BODY_TOO_DEEP' });
    const shallow = await s.post('/v1/products', JSON.parse(deep(32)));
    expect(shallow.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('the webhook route keeps no Idempotency-Key record (providers deduplicate by event id)', async () => {
    const res = await postWebhook(t, webhook('payment.authorized', randomUUID(), 100));
    expect(res.statusCode).toBe(200);
    expect(await t.infra.store.collection('sys_idempotency').count({})).toBe(0);
  });
});

describe('unknown routes', () => {
  it('are a 404 problem with a code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: s.staff() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});
