import { shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

// API keys for service-to-service calls, through the real app: created by admins and shown once,
// kept as a hash, acting with their roles, expiring, revocable at once, last use recorded, rate
// limited per key.
const clock = new TestClock('2030-06-01T09:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_QUERIES: '5', RATE_LIMIT_WINDOW_SECONDS: '60' }, { clock });
  s = shop(t);
});
afterAll(() => t.close());

const admin = () => t.authAs(['admin'], { userId: `admin-${Math.random().toString(36).slice(2)}` });
async function createKey(body: Record<string, unknown>) {
  const res = await s.post('/v1/api-keys', body, admin());
  if (res.statusCode !== 201) throw new Error(`create key: ${res.statusCode} ${res.body}`);
  return res.json() as { apiKeyId: string; key: string; position: string };
}
const withKey = (key: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
  t.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });

describe('API keys', () => {
  it('are shown once, stored only as a hash, and act with their roles (and only them)', async () => {
    const created = await createKey({ name: 'catalog-sync', roles: ['staff'] });
    expect(created.key).toMatch(/^rlk_[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const secret = created.key.split('.')[1];
    // Neither the events (the audit log shows every field) nor any list holds the key.
    const audit = await s.get(`/v1/audit/streams/apikey-${created.apiKeyId}`, t.authAs(['auditor']));
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(secret);
    const list = await s.get('/v1/api-keys', admin());
    expect(list.body).not.toContain(secret);
    expect(list.json().items.find((k: { apiKeyId: string }) => k.apiKeyId === created.apiKeyId)).toMatchObject({
      name: 'catalog-sync',
      roles: ['staff'],
      expiresAt: null,
      lastUsedAt: null,
      revoked: false,
    });

    const product = await withKey(created.key, '/v1/products', 'POST', {
      sku: 'KEY-1',
      name: 'Key-made tent',
      category: 'events',
      dailyRate: { amount: 1000, currency: 'EUR' },
      deposit: { amount: 1000, currency: 'EUR' },
      stock: 1,
    });
    expect(product.statusCode).toBe(201);
    const events = await s.get(`/v1/audit/streams/product-${product.json().productId}`, t.authAs(['auditor']));
    expect(events.json().events[0].metadata.actor).toMatchObject({ userId: `apikey:${created.apiKeyId}` });

    // Its roles only: a staff key is no admin, and the routes of a user's own account are not for keys.
    expect((await withKey(created.key, '/v1/api-keys')).statusCode).toBe(403);
    const me = await withKey(created.key, '/v1/auth/me');
    expect(me.statusCode).toBe(403);
    expect(me.json().code).toBe('FORBIDDEN');

    const used = (await s.get('/v1/api-keys', admin()))
      .json()
      .items.find((k: { apiKeyId: string }) => k.apiKeyId === created.apiKeyId);
    expect(used.lastUsedAt).toBe('2030-06-01T09:00:00.000Z');
  });

  it('refuses a wrong, malformed, made-up or doubled credential with 401 and changes nothing', async () => {
    const { key, apiKeyId } = await createKey({ name: 'probe', roles: ['staff'] });
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const madeUp = `rlk_${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${'A'.repeat(43)}`;
    for (const bad of [tampered, madeUp, 'not-a-key', `rlk_${apiKeyId}.`, key + 'x']) {
      const res = await withKey(bad, '/v1/customers');
      expect({ bad, status: res.statusCode, code: res.json().code }).toEqual({
        bad,
        status: 401,
        code: 'INVALID_API_KEY',
      });
    }
    const both = await t.app.inject({
      method: 'GET',
      url: '/v1/customers',
      headers: { 'x-api-key': key, ...t.authAs(['staff']) },
    });
    expect({ status: both.statusCode, code: both.json().code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('stops working at once when revoked, and after it expires', async () => {
    const { key, apiKeyId } = await createKey({ name: 'short', roles: ['staff'], expiresAt: '2030-06-01T10:00:00Z' });
    expect((await withKey(key, '/v1/customers')).statusCode).toBe(200);
    clock.advance(3_600_000);
    expect((await withKey(key, '/v1/customers')).json().code).toBe('INVALID_API_KEY');
    clock.set('2030-06-01T09:00:00.000Z');

    const other = await createKey({ name: 'revoked', roles: ['analyst', 'staff'] });
    expect((await withKey(other.key, '/v1/customers')).statusCode).toBe(200);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${other.apiKeyId}`, headers: admin() });
    expect(revoke.statusCode).toBe(204);
    const after = await withKey(other.key, '/v1/customers');
    expect({ status: after.statusCode, code: after.json().code }).toEqual({ status: 401, code: 'INVALID_API_KEY' });
    const listed = (await s.get('/v1/api-keys', admin())).json().items;
    expect(listed.find((k: { apiKeyId: string }) => k.apiKeyId === other.apiKeyId)).toMatchObject({ revoked: true });
    // Revoking again changes nothing; an unknown key is a 404.
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${other.apiKeyId}`, headers: admin() })).statusCode,
    ).toBe(204);
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`,
      headers: admin(),
    });
    expect({ status: unknown.statusCode, code: unknown.json().code }).toEqual({
      status: 404,
      code: 'API_KEY_NOT_FOUND',
    });
    expect(apiKeyId).toBeTruthy();
  });

  it('refuses a customer role, an expiry in the past and a blank name (400), creating nothing', async () => {
    const before = (await s.get('/v1/api-keys?limit=100', admin())).json().items.length;
    const refusals = await Promise.all([
      s.post('/v1/api-keys', { name: 'shop-front', roles: ['customer'] }, admin()),
      s.post('/v1/api-keys', { name: 'old', roles: ['staff'], expiresAt: '2020-01-01T00:00:00Z' }, admin()),
      s.post('/v1/api-keys', { name: '   ', roles: ['staff'] }, admin()),
    ]);
    expect(refusals.map((r) => r.statusCode)).toEqual([400, 400, 400]);
    expect(refusals[1].json()).toMatchObject({ code: 'API_KEY_DEFINITION_INVALID', errors: [{ field: 'expiresAt' }] });
    expect((await s.get('/v1/api-keys?limit=100', admin())).json().items.length).toBe(before);
  });

  it('is rate limited per key, not per address', async () => {
    const first = await createKey({ name: 'busy', roles: ['staff'] });
    const second = await createKey({ name: 'quiet', roles: ['staff'] });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await withKey(first.key, '/v1/customers')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const quiet = await withKey(second.key, '/v1/customers');
    expect(quiet.statusCode).toBe(200);
    expect(quiet.headers['ratelimit-remaining']).toBe('4');
  });
});
