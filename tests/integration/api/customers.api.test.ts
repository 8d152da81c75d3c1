import { randomUUID } from 'node:crypto';
import { apiSpec } from '../../support/api-spec.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ READ_WAIT_TIMEOUT_MS: '2000' });
});
afterAll(() => t.close());

const staff = () => t.authAs(['staff'], { userId: 'staff-1' });
const post = (payload: object, headers: Record<string, string> = staff()) =>
  t.app.inject({ method: 'POST', url: '/v1/customers', payload, headers });
const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

async function register(payload: Record<string, unknown>) {
  const res = await post({ email: `${randomUUID().slice(0, 8)}@example.com`, ...payload });
  expect(res.statusCode).toBe(201);
  return res.json() as { customerId: string; position: string };
}

describe('POST /v1/customers', () => {
  it('registers a customer with actor metadata and reads it back with its ETag', async () => {
    const res = await post({
      name: 'Ann Lee',
      email: 'Ann.Lee@Example.com',
      phone: '+49 30 123456',
      address: 'Main St 1, Berlin',
    });
    expect(res.statusCode).toBe(201);
    const { customerId, position } = res.json();
    expect(res.headers.location).toBe(`/v1/customers/${customerId}`);
    const [event] = await t.infra.events.readStream(`customer-${customerId}`);
    expect(event).toMatchObject({
      type: 'CustomerRegistered',
      data: { customerId, email: 'ann.lee@example.com', userId: null },
    });
    expect(event.metadata.actor).toEqual({ userId: 'staff-1', role: 'staff' });

    const read = await get(`/v1/customers/${customerId}`, { ...t.authAs(['admin']), 'x-min-position': position });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.json()).toEqual({
      customerId,
      name: 'Ann Lee',
      email: 'ann.lee@example.com',
      phone: '+49 30 123456',
      address: 'Main St 1, Berlin',
      userId: null,
      preferences: { reminders: true, language: null },
      orders: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it.each([
    ['an unknown field', { name: 'X', email: 'x@example.com', vip: true }, 'vip'],
    ['a bad email', { name: 'X', email: 'x' }, 'email'],
    ['a missing name', { email: 'x@example.com' }, 'name'],
    ['a bad phone', { name: 'X', email: 'x@example.com', phone: 'call me' }, 'phone'],
  ])('refuses %s (400)', async (_what, payload, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses an email another customer record has (in any case), as sign-up does, appending no second record', async () => {
    const email = `${randomUUID().slice(0, 8)}@example.com`;
    await register({ name: 'First', email });
    const before = await t.infra.events.headPosition();
    const again = await post({ name: 'Second', email: email.toUpperCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EMAIL_TAKEN' });
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { name: 'Third', email, password: 'a-long-password-1' },
    });
    expect(signUp.json()).toMatchObject({ code: 'EMAIL_TAKEN' });
    const appended = (await t.infra.events.readAll({ after: before })).filter((e) => e.type === 'CustomerRegistered');
    expect(appended).toEqual([]);
  });

  it('is for staff and admins only', async () => {
    const body = { name: 'X', email: `${randomUUID().slice(0, 8)}@example.com` };
    expect((await post(body, t.authAs(['customer'], { customerId: randomUUID() }))).statusCode).toBe(403);
    expect((await post(body, t.authAs(['analyst']))).statusCode).toBe(403);
    expect((await post(body, {})).statusCode).toBe(401);
    expect((await post(body, t.authAs(['admin']))).statusCode).toBe(201);
  });
});

describe('GET /v1/customers/{id}', () => {
  it('shows a customer its own record and answers 404 for anyone else’s', async () => {
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: `${randomUUID()}@example.com`, password: 'a long password', name: 'Cy' },
    });
    const { customerId } = signUp.json();
    const other = await register({ name: 'Other' });
    const own = await get(`/v1/customers/${customerId}`, {
      ...t.authAs(['customer'], { customerId }),
      'x-min-position': other.position,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ customerId, name: 'Cy', userId: signUp.json().userId });
    const foreign = await get(`/v1/customers/${other.customerId}`, t.authAs(['customer'], { customerId }));
    const missing = await get(`/v1/customers/${randomUUID()}`, t.authAs(['customer'], { customerId }));
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(foreign.json().code).toBe(missing.json().code);
    expect((await get(`/v1/customers/${customerId}`, t.authAs(['analyst']))).statusCode).toBe(403);
    expect((await get(`/v1/customers/not-a-uuid`, staff())).statusCode).toBe(400);
  });

  it('counts orders placed without moving the ETag', async () => {
    const { customerId, position } = await register({ name: 'Orderly' });
    const orderId = randomUUID();
    const placed = { type: 'OrderPlaced', data: { orderId, customerId, placedAt: '2026-01-01T00:00:00.000Z' } };
    await apiSpec(t)
      .given({ [`order-${orderId}`]: [placed] })
      .when({ method: 'GET', url: `/v1/customers/${customerId}`, headers: staff() })
      .then({ status: 200, body: { customerId, orders: 1 }, headers: { etag: '"0"' }, events: [] });
    const [order] = await t.infra.events.readStream(`order-${orderId}`);
    expect(BigInt(position)).toBeLessThan(order.position);
  });
});

describe('GET /v1/customers', () => {
  const tag = randomUUID().slice(0, 8);
  let last = '0';
  beforeAll(async () => {
    for (const name of [`beta ${tag}`, `Alpha ${tag}`, `Gamma ${tag}`, `delta ${tag}`])
      last = (await register({ name })).position;
    last = (await register({ name: 'Zed', email: `zed.${tag}@example.com` })).position;
  });

  it('finds customers by the words of their name or their whole email (blind index), oldest first, in pages', async () => {
    const first = await get(`/v1/customers?q=${tag}&limit=3`, { ...staff(), 'x-min-position': last });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((c: { name: string }) => c.name)).toEqual([`beta ${tag}`, `Alpha ${tag}`, `Gamma ${tag}`]);
    expect(page1.items[0]).not.toHaveProperty('nameWords');
    expect(page1.items[0]).not.toHaveProperty('emailKey');
    const page2 = (
      await get(`/v1/customers?q=${tag}&limit=3&cursor=${encodeURIComponent(page1.nextCursor)}`, staff())
    ).json();
    expect(page2.items.map((c: { name: string }) => c.name)).toEqual([`delta ${tag}`]);
    expect(page2.nextCursor).toBeNull();
    const both = (await get(`/v1/customers?q=${encodeURIComponent(`GAMMA ${tag}`)}`, staff())).json();
    expect(both.items.map((c: { name: string }) => c.name)).toEqual([`Gamma ${tag}`]);
    const byEmail = (await get(`/v1/customers?q=ZED.${tag}@Example.com`, staff())).json();
    expect(byEmail.items.map((c: { name: string }) => c.name)).toEqual(['Zed']);
    // Whole words and whole emails only: the read store holds neither in plain text.
    expect((await get(`/v1/customers?q=${tag.slice(0, 4)}`, staff())).json().items).toEqual([]);
    expect((await get(`/v1/customers?q=zed.${tag}`, staff())).json().items).toEqual([]);
  });

  it('is for staff and admins, and validates the query', async () => {
    expect((await get('/v1/customers', t.authAs(['customer'], { customerId: randomUUID() }))).statusCode).toBe(403);
    expect((await get('/v1/customers?limit=101', staff())).statusCode).toBe(400);
    expect((await get('/v1/customers?bogus=1', staff())).statusCode).toBe(400);
  });
});
