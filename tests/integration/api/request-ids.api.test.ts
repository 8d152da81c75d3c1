/** Client-sent request and correlation ids are validated and bounded before they reach logs and event metadata. */
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const product = () => ({
  sku: `RID-${Math.random().toString(36).slice(2, 8)}`,
  name: 'Ladder',
  category: 'tools',
  dailyRate: { amount: 500, currency: 'EUR' },
  deposit: { amount: 0, currency: 'EUR' },
  stock: 1,
});
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('X-Request-Id and X-Correlation-Id', () => {
  it('keep a well-formed client id, in the answer and in the metadata of the events it causes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: product(),
      headers: { ...t.authAs(['staff']), 'x-request-id': 'req-1.a:b', 'x-correlation-id': 'corr-1' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-1.a:b');
    const [event] = await t.infra.events.readStream(`product-${res.json().productId}`);
    expect(event.metadata).toMatchObject({ correlationId: 'corr-1', causationId: 'req-1.a:b' });
  });

  it.each([
    ['longer than 128 characters', 'a'.repeat(129)],
    ['an email address (personal data)', 'ann.lee@example.com'],
    ['blanks and control characters', 'x y\tz'],
    ['empty', ''],
  ])('replace one that is %s with a fresh UUID', async (_what, id) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      payload: product(),
      headers: { ...t.authAs(['staff']), 'x-request-id': id, 'x-correlation-id': id },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toMatch(uuid);
    const [event] = await t.infra.events.readStream(`product-${res.json().productId}`);
    expect(event.metadata.correlationId).toMatch(uuid);
    expect(event.metadata.causationId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(t.logs().filter((l) => l.message === 'request'))).not.toContain(id || 'never-empty');
  });
});
