import { eur } from '../../support/fixtures.js';
import { placeOrder, registerProduct } from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
});
afterAll(() => t.close());

const staff = () => t.authAs(['staff']);
const post = async (url: string, payload: object) => {
  const res = await t.app.inject({ method: 'POST', url, payload, headers: staff() });
  expect(res.statusCode).toBeLessThan(300);
  return res.json();
};
const asOf = (path: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: path, headers: { ...t.authAs(['auditor']), ...headers } });

describe('GET /v1/audit/{area}/{id}/as-of', () => {
  it('shows a product as it stood at a position, with the events applied', async () => {
    const productId = await registerProduct(t);
    const first = await post(`/v1/products/${productId}/reprice`, { dailyRate: eur(2100) });
    await post(`/v1/products/${productId}/reprice`, { dailyRate: eur(2200) });
    const then = await asOf(`/v1/audit/products/${productId}/as-of?position=${first.position}`);
    expect(then.statusCode).toBe(200);
    expect(then.json()).toMatchObject({
      productId,
      dailyRate: { amount: 2100 },
      asOf: { position: first.position, applied: [{ type: 'ProductRegistered' }, { type: 'ProductRepriced' }] },
    });
    expect(then.json()).not.toHaveProperty('_id');
    const now = await asOf(`/v1/audit/products/${productId}/as-of?at=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(now.json().dailyRate.amount).toBe(2200);
  });

  it('shows an order and its payment before and after the capture, in the order answer shape', async () => {
    const productId = await registerProduct(t);
    const orderId = await placeOrder(t, 'cust-1', productId);
    const placedAt = String(await t.infra.events.headPosition());
    const paid = await post(`/v1/orders/${orderId}/payments`, {
      amount: eur(5000),
      purpose: 'deposit',
      paymentMethod: 'pm_card_ok',
    });
    const authorizedAt = paid.position as string;
    const captured = await post(`/v1/payments/${paid.paymentId}/capture`, {});
    const before = (await asOf(`/v1/audit/orders/${orderId}/as-of?position=${placedAt}`)).json();
    expect(before).toMatchObject({ orderId, status: 'reserved', paid: { amount: 0 }, asOf: { position: placedAt } });
    expect(before.asOf.applied.map((e: { type: string }) => e.type)).toEqual(['OrderPlaced']);
    const after = (await asOf(`/v1/audit/orders/${orderId}/as-of?position=${captured.position}`)).json();
    expect(after.paid.amount).toBe(5000);
    const live = await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: staff() });
    const { asOf: _meta, revision: _revision, ...shape } = after; // plus the stream's revision then
    expect(Object.keys(shape).sort()).toEqual(Object.keys(live.json()).sort());
    const payment = (await asOf(`/v1/audit/payments/${paid.paymentId}/as-of?position=${authorizedAt}`)).json();
    expect(payment).toMatchObject({ paymentId: paid.paymentId, status: 'authorized' });
  });

  it('shows a customer, and counts only the orders placed by then', async () => {
    const created = await post('/v1/customers', { name: 'Grace Hopper', email: 'grace.asof@example.com' });
    const productId = await registerProduct(t);
    await placeOrder(t, created.customerId, productId);
    const then = (await asOf(`/v1/audit/customers/${created.customerId}/as-of?position=${created.position}`)).json();
    expect(then).toMatchObject({ customerId: created.customerId, name: 'Grace Hopper', orders: 0 });
    const head = await t.infra.events.headPosition();
    const now = (
      await asOf(`/v1/audit/customers/${created.customerId}/as-of?position=${head}`, { 'x-min-position': String(head) })
    ).json();
    expect(now.orders).toBe(1);
  });

  it('answers 404 before the object existed, 400 without a point or beyond the log, 403 to others', async () => {
    const productId = await registerProduct(t);
    expect((await asOf(`/v1/audit/products/${productId}/as-of?position=1`)).json().code).toBe('PRODUCT_NOT_FOUND');
    expect((await asOf(`/v1/audit/products/${productId}/as-of`)).statusCode).toBe(400);
    const beyond = await asOf(`/v1/audit/products/${productId}/as-of?position=99999999`);
    expect(beyond.json().code).toBe('POSITION_INVALID');
    const forbidden = await t.app.inject({
      method: 'GET',
      url: `/v1/audit/orders/${productId}/as-of?position=1`,
      headers: staff(),
    });
    expect(forbidden.statusCode).toBe(403);
  });
});
