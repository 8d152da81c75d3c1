import { randomUUID } from 'node:crypto';
import { productsProjection } from '../../../projections/product/products.projection.js';
import { apiSpec } from '../../support/api-spec.js';
import { drill, eur, registered } from '../../support/fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ READ_WAIT_TIMEOUT_MS: '2000' });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...t.authAs(['staff']), ...headers } });
const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...t.authAs(['admin']), ...headers } });
const staff = (headers: Record<string, string> = {}) => ({ ...t.authAs(['staff']), ...headers });

async function register(overrides: Record<string, unknown> = {}) {
  const res = await post('/v1/products', drill(overrides));
  expect(res.statusCode).toBe(201);
  return res.json() as { productId: string; position: string };
}

describe('POST /v1/products', () => {
  it('registers a product, appends its events with metadata, and reads it back (read your writes)', async () => {
    const body = drill({ name: 'Cordless drill' });
    const res = await post('/v1/products', body, { 'x-correlation-id': 'corr-123' });
    expect(res.statusCode).toBe(201);
    const { productId, position } = res.json();
    expect(productId).toMatch(/^[0-9a-f-]{36}$/);
    expect(position).toMatch(/^\d+$/);
    expect(res.headers.location).toBe(`/v1/products/${productId}`);

    const [event] = await t.infra.events.readStream(`product-${productId}`);
    expect(event.type).toBe('ProductRegistered');
    expect(event.position).toBe(BigInt(position));
    expect(event.data).toMatchObject({
      productId,
      sku: body.sku,
      name: 'Cordless drill',
      stock: 3,
      bufferDays: 1,
      dailyRate: eur(1500),
    });
    expect(event.metadata).toMatchObject({
      correlationId: 'corr-123',
      actor: { userId: 'test-staff', role: 'staff' },
      schemaVersion: 1,
    });
    expect(event.metadata.causationId).toBe(res.headers['x-request-id']);

    const read = await get(`/v1/products/${productId}`, { 'x-min-position': position });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.json()).toEqual({
      productId,
      sku: body.sku,
      name: 'Cordless drill',
      category: 'tools',
      dailyRate: eur(1500),
      deposit: eur(5000),
      stock: 3,
      bufferDays: 1,
      active: true,
      rentals: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it.each([
    ['an unknown field', { ...drill(), hack: true }, 'hack'],
    ['a string where a number belongs', { ...drill(), stock: '2' }, 'stock'],
    ['a fractional amount', { ...drill(), dailyRate: { amount: 12.5, currency: 'EUR' } }, 'dailyRate.amount'],
    ['a missing field', (({ sku: _s, ...rest }) => rest)(drill()), 'sku'],
    ['a negative stock', { ...drill(), stock: -1 }, 'stock'],
    ['an unknown field inside money', { ...drill(), deposit: { amount: 1, currency: 'EUR', fx: 1 } }, 'deposit.fx'],
  ])('refuses %s with a 400 problem and appends nothing', async (_what, payload, field) => {
    const res = await apiSpec(t)
      .given([])
      .when({ method: 'POST', url: '/v1/products', headers: staff(), payload })
      .then({
        status: 400,
        headers: { 'content-type': expect.stringMatching(/^application\/problem\+json/) },
        body: { status: 400, title: 'The request is not valid', code: 'VALIDATION_FAILED' },
        events: [],
      });
    const problem = res.json();
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('refuses another currency (400) without appending', async () => {
    await apiSpec(t)
      .given([])
      .when({
        method: 'POST',
        url: '/v1/products',
        headers: staff(),
        payload: drill({ dailyRate: { amount: 100, currency: 'USD' } }),
      })
      .then({
        status: 400,
        body: { code: 'CURRENCY_NOT_SUPPORTED', errors: [{ field: 'dailyRate' }] },
        events: [],
      });
  });

  it('refuses a duplicate sku, whatever its case (409)', async () => {
    const sku = `dup-${Date.now()}`;
    await register({ sku });
    const res = await post('/v1/products', drill({ sku: sku.toUpperCase() }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, code: 'SKU_TAKEN' });
  });

  it('lets exactly one of concurrent registrations of one sku win', async () => {
    const sku = `race-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => post('/v1/products', drill({ sku }))));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(9);
  });

  it('answers 415 for a body that is not JSON and 413 for one too large', async () => {
    const text = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: 'sku=1',
      headers: { ...t.authAs(['staff']), 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ status: 415 });
    const form = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: 'sku=1',
      headers: { ...t.authAs(['staff']), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(415);
    const big = await post('/v1/products', { ...drill(), name: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: '{"sku":',
      headers: { ...t.authAs(['staff']), 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  });
});

describe('Idempotency-Key', () => {
  it('returns the first response again for the same key and body, appending nothing', async () => {
    const body = drill();
    const first = await post('/v1/products', body, { 'idempotency-key': 'key-1' });
    const head = await t.infra.events.headPosition();
    const again = await post('/v1/products', { ...body }, { 'idempotency-key': 'key-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await t.infra.events.headPosition()).toBe(head);
  });

  it('answers 422 for the same key with another body', async () => {
    await post('/v1/products', drill(), { 'idempotency-key': 'key-2' });
    const res = await post('/v1/products', drill(), { 'idempotency-key': 'key-2' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('replays an error response too', async () => {
    const { productId } = await register();
    const first = await post(
      `/v1/products/${productId}/stock`,
      { delta: -100, reason: 'loss' },
      { 'idempotency-key': 'key-3' },
    );
    const again = await post(
      `/v1/products/${productId}/stock`,
      { delta: -100, reason: 'loss' },
      { 'idempotency-key': 'key-3' },
    );
    expect(first.statusCode).toBe(409);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual(first.json());
  });
});

describe('product commands', () => {
  it('reprices, adjusts stock and retires, each visible in the read model', async () => {
    const { productId } = await register();
    const reprice = await post(`/v1/products/${productId}/reprice`, { dailyRate: eur(1800), deposit: eur(6000) });
    expect(reprice.statusCode).toBe(200);
    const stock = await post(`/v1/products/${productId}/stock`, { delta: 2, reason: 'bought two' });
    expect(stock.statusCode).toBe(200);
    expect(stock.json().stock).toBe(5);
    const retire = await post(`/v1/products/${productId}/retire`, {});
    expect(retire.statusCode).toBe(200);
    const read = await get(`/v1/products/${productId}`, { 'x-min-position': retire.json().position });
    expect(read.json()).toMatchObject({ dailyRate: eur(1800), deposit: eur(6000), stock: 5, active: false });
    expect(read.headers.etag).toBe('"3"');
    const events = await t.infra.events.readStream(`product-${productId}`);
    expect(events.map((e) => e.type)).toEqual([
      'ProductRegistered',
      'ProductRepriced',
      'ProductStockAdjusted',
      'ProductRetired',
    ]);
    expect(events[2].metadata.reason).toBe('bought two');
    const after = await post(`/v1/products/${productId}/reprice`, { dailyRate: eur(1) });
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({ code: 'PRODUCT_RETIRED' });
  });

  it('refuses to drop stock below zero (409) and a zero delta (400)', async () => {
    const productId = randomUUID();
    const stock = (delta: number, reason: string) =>
      ({
        method: 'POST',
        url: `/v1/products/${productId}/stock`,
        headers: staff(),
        payload: { delta, reason },
      }) as const;
    await apiSpec(t)
      .given({ [`product-${productId}`]: [registered(productId, 'Hammer drill', { stock: 1 })] })
      .when(stock(-2, 'broken'))
      .then({ status: 409, body: { code: 'STOCK_BELOW_ZERO' }, events: [] });
    await apiSpec(t).given([]).when(stock(0, 'x')).then({ status: 400, events: [] });
  });

  it('honours If-Match: 412 when the stream moved on, 200 when it did not', async () => {
    const productId = randomUUID();
    const stream = `product-${productId}`;
    const reprice = (amount: number, ifMatch: string) =>
      ({
        method: 'POST',
        url: `/v1/products/${productId}/reprice`,
        headers: staff({ 'if-match': ifMatch }),
        payload: { dailyRate: eur(amount) },
      }) as const;
    const read = await apiSpec(t)
      .given({ [stream]: [registered(productId)] })
      .when({ method: 'GET', url: `/v1/products/${productId}`, headers: t.authAs(['admin']) })
      .then({ status: 200, headers: { etag: '"0"' } });
    const tag = read.headers.etag as string;
    await apiSpec(t)
      .given([])
      .when(reprice(2000, tag))
      .then({
        status: 200,
        headers: { etag: '"1"' },
        events: [{ streamId: stream, type: 'ProductRepriced', data: { dailyRate: eur(2000) } }],
      });
    await apiSpec(t)
      .given([])
      .when(reprice(2100, tag))
      .then({ status: 412, body: { status: 412, code: 'PRECONDITION_FAILED' }, events: [] });
    await apiSpec(t).given([]).when(reprice(2100, 'garbage')).then({ status: 412, events: [] });
    const events = await t.infra.events.readStream(stream);
    expect(events).toHaveLength(2);
  });

  it('answers 404 problems for unknown products and malformed ids', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const getRes = await get(`/v1/products/${missing}`);
    expect(getRes.statusCode).toBe(404);
    expect(getRes.headers['content-type']).toMatch(/problem\+json/);
    expect((await post(`/v1/products/${missing}/reprice`, { dailyRate: eur(1) })).statusCode).toBe(404);
    expect((await get('/v1/products/not-a-uuid')).statusCode).toBe(400);
    expect((await get('/v1/nothing-here')).statusCode).toBe(404);
  });
});

describe('GET /v1/products', () => {
  let last = '0';
  const cat = `cat-${Date.now()}`;
  beforeAll(async () => {
    for (const [name, rate] of [
      ['Beta saw', 900],
      ['alpha tent', 4000],
      ['Gamma ladder', 1200],
      ['Delta generator', 7000],
    ] as const) {
      last = (await register({ name, category: cat, dailyRate: eur(rate) })).position;
    }
    const tent = (await get(`/v1/products?category=${cat}&q=tent`, { 'x-min-position': last })).json().items[0];
    last = (await post(`/v1/products/${tent.productId}/retire`, {})).json().position;
  });

  it('filters by category, sorts by name case-insensitively, and pages with a cursor', async () => {
    const first = await get(`/v1/products?category=${cat}&limit=3`, { 'x-min-position': last });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((p: { name: string }) => p.name)).toEqual(['alpha tent', 'Beta saw', 'Delta generator']);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (
      await get(`/v1/products?category=${cat}&limit=3&cursor=${encodeURIComponent(page1.nextCursor)}`)
    ).json();
    expect(page2.items.map((p: { name: string }) => p.name)).toEqual(['Gamma ladder']);
    expect(page2.nextCursor).toBeNull();
  });

  it('filters by active and text, sorts by daily rate', async () => {
    const active = (
      await get(`/v1/products?category=${cat}&active=true&sort=-dailyRate`, { 'x-min-position': last })
    ).json();
    expect(active.items.map((p: { name: string }) => p.name)).toEqual(['Delta generator', 'Gamma ladder', 'Beta saw']);
    const text = (await get(`/v1/products?category=${cat}&q=LADD`)).json();
    expect(text.items.map((p: { name: string }) => p.name)).toEqual(['Gamma ladder']);
  });

  it('validates the query string', async () => {
    expect((await get('/v1/products?limit=101')).statusCode).toBe(400);
    expect((await get('/v1/products?sort=price')).statusCode).toBe(400);
    expect((await get('/v1/products?bogus=1')).statusCode).toBe(400);
    const res = await get('/v1/products?limit=0');
    expect(res.json()).toMatchObject({ status: 400, errors: [{ field: 'querystring.limit' }] });
  });

  it('answers 503 with Retry-After when the read model has not reached X-Min-Position', async () => {
    const res = await get('/v1/products', { 'x-min-position': '999999999' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'READ_MODEL_LAGGING' });
    expect((await get('/v1/products', { 'x-min-position': 'abc' })).statusCode).toBe(400);
  });
});

describe('operations', () => {
  it('serves health, OpenAPI generated from the route schemas, and the docs UI', async () => {
    expect((await get('/health/live')).json()).toEqual({ status: 'up' });
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'up',
      checks: { eventStore: { status: 'up' }, readStore: { status: 'up' }, projections: { status: 'up' } },
    });
    const spec = (await get('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    const post201 = spec.paths['/v1/products'].post;
    expect(post201.requestBody.content['application/json'].schema.required).toEqual([
      'sku',
      'name',
      'category',
      'dailyRate',
      'deposit',
      'stock',
    ]);
    expect(post201.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/products/{id}', '/v1/products/{id}/reprice', '/v1/projections', '/health/ready']),
    );
    const docs = await get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('exposes Prometheus metrics: process, HTTP by route, projection lag', async () => {
    await get('/health/live');
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^rentlog_process_cpu_user_seconds_total \d/m);
    expect(res.body).toMatch(
      /^rentlog_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} [1-9]/m,
    );
    expect(res.body).toMatch(/^rentlog_projection_lag_events\{projection="products"\} \d+/m);
  });

  it('lists projections with their checkpoint and lag', async () => {
    const { position } = await register();
    await get('/v1/products', { 'x-min-position': position });
    const [products] = (await get('/v1/projections')).json();
    expect(products).toMatchObject({
      name: 'products',
      version: productsProjection.version,
      status: 'running',
      parked: 0,
    });
    expect(BigInt(products.position)).toBeGreaterThanOrEqual(BigInt(position));
    expect(products.lag.events).toBe(0);
    expect((await post('/v1/projections/nope/rebuild', {}, t.authAs(['analyst']))).statusCode).toBe(404);
  });

  it('writes JSON logs carrying the request id', async () => {
    const res = await get('/health/live', { 'x-request-id': 'req-abc-123' });
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    const line = t.logs().find((l) => l.requestId === 'req-abc-123' && l.message === 'request');
    expect(line).toMatchObject({ level: 'info', method: 'GET', statusCode: 200, service: 'test' });
    expect(typeof line!.timestamp).toBe('string');
  });
});
