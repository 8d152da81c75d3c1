import { randomUUID } from 'node:crypto';
import type { OrderEvent } from '../../../domain/order/order.events.js';
import { apiSpec } from '../../support/api-spec.js';
import { eur, newEvent } from '../../support/fixtures.js';
import {
  PAYMENT_STREAMS,
  WEBHOOK_SECRET,
  orderPlaced,
  paymentEventsSince,
  placeOrder,
  registerProduct,
} from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let productId: string;
beforeAll(async () => {
  // PUBLIC_URL: nothing listens there, so no sandbox webhook reaches anything during these tests.
  t = await startTestApp({
    READ_WAIT_TIMEOUT_MS: '2000',
    PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PUBLIC_URL: 'http://127.0.0.1:9',
  });
  productId = await registerProduct(t);
});
afterAll(() => t.close());

const staff = () => t.authAs(['staff']);
const post = (url: string, payload: unknown, headers: Record<string, string> = staff()) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string> = t.authAs(['admin'])) =>
  t.app.inject({ method: 'GET', url, headers });
const pay = (orderId: string, paymentMethod: string, amount = 10000, headers?: Record<string, string>) =>
  post(`/v1/orders/${orderId}/payments`, { amount: eur(amount), purpose: 'deposit', paymentMethod }, headers);
/** The request `pay` sends, for an API specification. */
const payment = (orderId: string, paymentMethod: string, amount = 10000) =>
  ({
    method: 'POST',
    url: `/v1/orders/${orderId}/payments`,
    headers: staff(),
    payload: { amount: eur(amount), purpose: 'deposit', paymentMethod },
  }) as const;
/** An order placed by cust-1 for the product, as its stream for `given`. */
const placedOrder = (orderId: string, ...more: OrderEvent[]) => ({
  [`order-${orderId}`]: [orderPlaced(orderId, 'cust-1', productId), ...more],
});
const typesOf = async (paymentId: string) =>
  (await t.infra.events.readStream(`payment-${paymentId}`)).map((e) => e.type);

async function authorizedPayment(amount = 10000) {
  const orderId = await placeOrder(t, 'cust-1', productId);
  const res = await pay(orderId, 'pm_card_ok', amount);
  expect(res.statusCode).toBe(201);
  return { orderId, ...(res.json() as { paymentId: string; status: string; position: string }) };
}

describe('POST /v1/orders/{id}/payments', () => {
  it('authorizes pm_card_ok at once, records both events, and reads back with its history', async () => {
    const orderId = randomUUID();
    const res = await apiSpec(t)
      .given(placedOrder(orderId))
      .when(payment(orderId, 'pm_card_ok'))
      .then({
        status: 201,
        body: { status: 'authorized', paymentId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        events: {
          only: PAYMENT_STREAMS,
          expect: [
            {
              streamId: /^payment-/,
              type: 'PaymentRequested',
              data: {
                orderId,
                customerId: 'cust-1',
                amount: eur(10000),
                purpose: 'deposit',
                paymentMethod: 'pm_card_ok',
              },
            },
            {
              streamId: /^payment-/,
              type: 'PaymentAuthorized',
              data: { orderId, amount: eur(10000), providerRef: expect.stringMatching(/^sbx_/) },
            },
          ],
        },
      });
    const { paymentId, position } = res.json() as { paymentId: string; position: string };
    const events = await t.infra.events.readStream(`payment-${paymentId}`);
    expect(events.map((e) => e.type)).toEqual(['PaymentRequested', 'PaymentAuthorized']);
    expect(events.map((e) => (e.data as { paymentId: string }).paymentId)).toEqual([paymentId, paymentId]);
    // The answer's position covers what the command brought onto the order too: its balance shows at once.
    const [echo] = (await t.infra.events.readStream(`order-${orderId}`))
      .filter((e) => e.type === 'OrderPaymentUpdated')
      .slice(-1);
    expect(echo.data).toMatchObject({ paymentId, status: 'authorized' });
    expect(BigInt(position)).toBe(echo.position);
    expect(echo.position).toBeGreaterThan(events[1].position);
    expect(events[0].metadata.actor).toEqual({ userId: 'test-staff', role: 'staff' });

    const read = await get(`/v1/payments/${paymentId}`, { ...t.authAs(['admin']), 'x-min-position': position });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toMatchObject({
      paymentId,
      orderId,
      amount: eur(10000),
      purpose: 'deposit',
      status: 'authorized',
      captured: eur(0),
      refunded: eur(0),
      history: [
        { type: 'PaymentRequested', amount: eur(10000) },
        { type: 'PaymentAuthorized', amount: eur(10000) },
      ],
    });
  });

  it('records pm_card_declined and unknown methods as failed, which cannot be captured (409)', async () => {
    const orderId = await placeOrder(t, 'cust-1', productId);
    for (const method of ['pm_card_declined', 'pm_card_bogus']) {
      const res = await pay(orderId, method);
      expect(res.statusCode).toBe(201);
      expect(res.json().status).toBe('failed');
      const { paymentId } = res.json();
      expect(await typesOf(paymentId)).toEqual(['PaymentRequested', 'PaymentFailed']);
      const capture = await post(`/v1/payments/${paymentId}/capture`, {});
      expect(capture.statusCode).toBe(409);
      expect(capture.json()).toMatchObject({ code: 'PAYMENT_NOT_CAPTURABLE' });
    }
  });

  it('answers 404 for an order that does not exist, appending nothing', async () => {
    await apiSpec(t)
      .given([])
      .when(payment(randomUUID(), 'pm_card_ok'))
      .then({ status: 404, body: { code: 'ORDER_NOT_FOUND' }, events: { only: PAYMENT_STREAMS, expect: [] } });
  });

  it.each([
    [
      'an unknown field',
      { amount: eur(100), purpose: 'deposit', paymentMethod: 'pm_card_ok', tip: 1 },
      'VALIDATION_FAILED',
    ],
    [
      'another currency',
      { amount: { amount: 100, currency: 'USD' }, purpose: 'deposit', paymentMethod: 'pm_card_ok' },
      'CURRENCY_NOT_SUPPORTED',
    ],
    ['a zero amount', { amount: eur(0), purpose: 'deposit', paymentMethod: 'pm_card_ok' }, 'VALIDATION_FAILED'],
    ['a negative amount', { amount: eur(-100), purpose: 'deposit', paymentMethod: 'pm_card_ok' }, 'VALIDATION_FAILED'],
    [
      'a fractional amount',
      { amount: eur(10.5), purpose: 'deposit', paymentMethod: 'pm_card_ok' },
      'VALIDATION_FAILED',
    ],
    ['an unknown purpose', { amount: eur(100), purpose: 'tip', paymentMethod: 'pm_card_ok' }, 'VALIDATION_FAILED'],
    ['a missing payment method', { amount: eur(100), purpose: 'deposit' }, 'VALIDATION_FAILED'],
  ])('refuses %s with a 400 and appends nothing', async (_what, body, code) => {
    const orderId = randomUUID();
    await apiSpec(t)
      .given(placedOrder(orderId))
      .when({ ...payment(orderId, 'pm_card_ok'), payload: body })
      .then({ status: 400, body: { status: 400, code }, events: { only: PAYMENT_STREAMS, expect: [] } });
  });
});

describe('capture and refund', () => {
  it('captures in parts, then refunds in parts down to refunded', async () => {
    const { paymentId } = await authorizedPayment();
    const part = await post(`/v1/payments/${paymentId}/capture`, { amount: eur(4000) });
    expect(part.statusCode).toBe(200);
    expect(part.json()).toEqual({ status: 'captured', position: expect.any(String) });
    const rest = await post(`/v1/payments/${paymentId}/capture`, {});
    expect(rest.json().status).toBe('captured');
    expect((await post(`/v1/payments/${paymentId}/capture`, {})).statusCode).toBe(409);

    const refund1 = await post(`/v1/payments/${paymentId}/refund`, { amount: eur(2500), reason: 'returned early' });
    expect(refund1.statusCode).toBe(200);
    expect(refund1.json()).toEqual({ status: 'partially_refunded', refunded: eur(2500), position: expect.any(String) });
    const refund2 = await post(`/v1/payments/${paymentId}/refund`, { amount: eur(7500), reason: 'order cancelled' });
    expect(refund2.json()).toEqual({ status: 'refunded', refunded: eur(10000), position: expect.any(String) });

    const events = await t.infra.events.readStream(`payment-${paymentId}`);
    expect(events.map((e) => e.type)).toEqual([
      'PaymentRequested',
      'PaymentAuthorized',
      'PaymentCaptured',
      'PaymentCaptured',
      'PaymentRefunded',
      'PaymentRefunded',
    ]);
    expect(events[3].data).toMatchObject({ amount: eur(6000), captured: eur(10000) });
    expect(events[4].data).toMatchObject({ amount: eur(2500), refunded: eur(2500), reason: 'returned early' });
    expect(events[4].metadata.reason).toBe('returned early');

    const read = await get(`/v1/payments/${paymentId}`, {
      ...t.authAs(['staff']),
      'x-min-position': refund2.json().position,
    });
    expect(read.json()).toMatchObject({ status: 'refunded', captured: eur(10000), refunded: eur(10000) });
    expect(read.json().history.map((h: { type: string }) => h.type)).toEqual(events.map((e) => e.type));
  });

  it('refuses to capture more than authorized or refund more than captured (409), appending nothing', async () => {
    const { paymentId } = await authorizedPayment(5000);
    const over = await post(`/v1/payments/${paymentId}/capture`, { amount: eur(5001) });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'CAPTURE_EXCEEDS_AUTHORIZED', errors: [{ field: 'amount' }] });
    const early = await post(`/v1/payments/${paymentId}/refund`, { amount: eur(1), reason: 'x' });
    expect(early.json()).toMatchObject({ status: 409, code: 'PAYMENT_NOT_REFUNDABLE' });
    await post(`/v1/payments/${paymentId}/capture`, { amount: eur(3000) });
    const tooMuch = await post(`/v1/payments/${paymentId}/refund`, { amount: eur(3001), reason: 'x' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURED' });
    expect(await typesOf(paymentId)).toEqual(['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured']);
  });

  it('validates bodies (400), knows unknown payments (404), honours If-Match (412)', async () => {
    const { paymentId } = await authorizedPayment();
    expect((await post(`/v1/payments/${paymentId}/capture`, { amount: eur(1), extra: true })).statusCode).toBe(400);
    expect((await post(`/v1/payments/${paymentId}/capture`, { amount: eur(0) })).statusCode).toBe(400);
    expect(
      (await post(`/v1/payments/${paymentId}/capture`, { amount: { amount: 1, currency: 'GBP' } })).json(),
    ).toMatchObject({ code: 'CURRENCY_NOT_SUPPORTED' });
    expect((await post(`/v1/payments/${paymentId}/refund`, { amount: eur(1) })).statusCode).toBe(400);
    expect((await post(`/v1/payments/${randomUUID()}/capture`, {})).statusCode).toBe(404);
    expect((await post(`/v1/payments/${paymentId}/capture`, {}, { ...staff(), 'if-match': '"0"' })).statusCode).toBe(
      412,
    );
    const ok = await post(`/v1/payments/${paymentId}/capture`, {}, { ...staff(), 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
  });
});

describe('customers', () => {
  const customer = (customerId: string) => t.authAs(['customer'], { userId: `user-${customerId}`, customerId });

  it('pay and see their own orders only; everything else is 404', async () => {
    const mine = await placeOrder(t, 'cust-a', productId);
    const theirs = await placeOrder(t, 'cust-b', productId);
    const own = await pay(mine, 'pm_card_ok', 2000, customer('cust-a'));
    expect(own.statusCode).toBe(201);
    const before = await t.infra.events.headPosition();
    const other = await pay(theirs, 'pm_card_ok', 2000, customer('cust-a'));
    expect(other.statusCode).toBe(404);
    expect(await paymentEventsSince(t, before)).toEqual([]);
    expect((await pay(mine, 'pm_card_ok', 2000, t.authAs(['customer']))).statusCode).toBe(404);

    const theirPayment = (await pay(theirs, 'pm_card_ok', 2000, customer('cust-b'))).json();
    const seen = await get(`/v1/payments/${own.json().paymentId}`, {
      ...customer('cust-a'),
      'x-min-position': theirPayment.position,
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().customerId).toBe('cust-a');
    const hidden = await get(`/v1/payments/${theirPayment.paymentId}`, customer('cust-a'));
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
  });

  it('may not capture, refund or list (403)', async () => {
    const { paymentId } = await authorizedPayment();
    expect((await post(`/v1/payments/${paymentId}/capture`, {}, customer('cust-1'))).statusCode).toBe(403);
    expect(
      (await post(`/v1/payments/${paymentId}/refund`, { amount: eur(1), reason: 'x' }, customer('cust-1'))).statusCode,
    ).toBe(403);
    expect((await get('/v1/payments', customer('cust-1'))).statusCode).toBe(403);
    expect((await get(`/v1/payments/${paymentId}`, t.authAs(['analyst']))).statusCode).toBe(403);
  });
});

describe('GET /v1/payments', () => {
  it('filters by order and status, newest first, with a cursor', async () => {
    const orderId = await placeOrder(t, 'cust-1', productId);
    const first = (await pay(orderId, 'pm_card_ok', 1000)).json();
    const second = (await pay(orderId, 'pm_card_declined', 2000)).json();
    const third = (await pay(orderId, 'pm_card_ok', 3000)).json();
    const page1 = await get(`/v1/payments?orderId=${orderId}&limit=2`, {
      ...t.authAs(['staff']),
      'x-min-position': third.position,
    });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items.map((p: { paymentId: string }) => p.paymentId)).toEqual([
      third.paymentId,
      second.paymentId,
    ]);
    const page2 = (
      await get(`/v1/payments?orderId=${orderId}&limit=2&cursor=${encodeURIComponent(page1.json().nextCursor)}`)
    ).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ paymentId: first.paymentId })], nextCursor: null });
    const failed = (await get(`/v1/payments?orderId=${orderId}&status=failed`)).json();
    expect(failed.items.map((p: { paymentId: string }) => p.paymentId)).toEqual([second.paymentId]);
    expect((await get('/v1/payments?status=lost')).statusCode).toBe(400);
  });
});

describe("the order's rules for payments", () => {
  /** The event that ends cust-1's order (its one line of the product). */
  const ended = (orderId: string, type: 'OrderCancelled' | 'OrderExpired' | 'OrderClosed'): OrderEvent => {
    const items = [{ productId, quantity: 1 }];
    const now = new Date().toISOString();
    return type === 'OrderCancelled'
      ? {
          type,
          data: { orderId, customerId: 'cust-1', reason: 'test', cancellationFee: eur(0), items, cancelledAt: now },
        }
      : type === 'OrderExpired'
        ? { type, data: { orderId, customerId: 'cust-1', items, expiredAt: now } }
        : { type, data: { orderId, customerId: 'cust-1', closedAt: now } };
  };
  const end = (orderId: string, type: 'OrderCancelled' | 'OrderExpired' | 'OrderClosed') =>
    t.infra.events.append(`order-${orderId}`, [newEvent(ended(orderId, type))], 'any');

  it.each(['OrderCancelled', 'OrderExpired', 'OrderClosed'] as const)(
    'refuses a payment on an order after %s (409), appending nothing',
    async (type) => {
      const orderId = randomUUID();
      await apiSpec(t)
        .given(placedOrder(orderId, ended(orderId, type)))
        .when(payment(orderId, 'pm_card_ok', 100))
        .then({ status: 409, body: { code: 'ORDER_NOT_PAYABLE' }, events: { only: PAYMENT_STREAMS, expect: [] } });
    },
  );

  it('refuses a payment larger than the open balance, counting the payments already made', async () => {
    const orderId = await placeOrder(t, 'cust-1', productId); // subtotal 7500 + deposit 5000
    expect((await pay(orderId, 'pm_card_ok', 12501)).json()).toMatchObject({
      status: 409,
      code: 'PAYMENT_EXCEEDS_BALANCE',
      errors: [{ field: 'amount', message: 'at most 12500' }],
    });
    expect((await pay(orderId, 'pm_card_ok', 10000)).statusCode).toBe(201);
    expect((await pay(orderId, 'pm_card_ok', 2501)).json()).toMatchObject({ code: 'PAYMENT_EXCEEDS_BALANCE' });
    expect((await pay(orderId, 'pm_card_declined', 2500)).json().status).toBe('failed'); // a failed payment brings nothing
    expect((await pay(orderId, 'pm_card_ok', 2500)).statusCode).toBe(201);
  });

  it('lets payments racing for one balance take no more than it, together', async () => {
    const orderId = await placeOrder(t, 'cust-1', productId);
    const results = await Promise.all(Array.from({ length: 5 }, () => pay(orderId, 'pm_card_ok', 5000)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual([
      'PAYMENT_EXCEEDS_BALANCE',
      'PAYMENT_EXCEEDS_BALANCE',
      'PAYMENT_EXCEEDS_BALANCE',
    ]);
    const order = await get(`/v1/orders/${orderId}`, {
      ...t.authAs(['staff']),
      'x-min-position': String(await t.infra.events.headPosition()),
    });
    const taken = (order.json().payments as Array<{ status: string; amount: { amount: number } }>).filter(
      (p) => p.status !== 'failed',
    );
    expect(taken.reduce((sum, p) => sum + p.amount.amount, 0)).toBe(10000);
  });

  it('refuses a refund on a closed order (409)', async () => {
    const { orderId, paymentId } = await authorizedPayment(5000);
    expect((await post(`/v1/payments/${paymentId}/capture`, {})).statusCode).toBe(200);
    await end(orderId, 'OrderClosed');
    const res = await post(`/v1/payments/${paymentId}/refund`, { amount: eur(1000), reason: 'goodwill' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ORDER_NOT_REFUNDABLE' });
    expect(await typesOf(paymentId)).toEqual(['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured']);
  });
});

describe('read your writes after payments', () => {
  it("shows a payment, its capture and its refund on the order's balance at the position each answered, every time", async () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const orderId = await placeOrder(t, 'cust-1', productId);
      const read = async (position: string) =>
        (await get(`/v1/orders/${orderId}`, { ...t.authAs(['staff']), 'x-min-position': position })).json();
      const paid = await pay(orderId, 'pm_card_ok', 10000);
      const afterPayment = await read(paid.json().position);
      expect(afterPayment.payments).toEqual([
        expect.objectContaining({ paymentId: paid.json().paymentId, status: 'authorized', authorized: eur(10000) }),
      ]);
      expect(afterPayment.balance).toEqual(eur(12500));
      const captured = await post(`/v1/payments/${paid.json().paymentId}/capture`, {});
      expect(await read(captured.json().position)).toMatchObject({ paid: eur(10000), balance: eur(2500) });
      const refunded = await post(`/v1/payments/${paid.json().paymentId}/refund`, {
        amount: eur(500),
        reason: 'discount',
      });
      expect(await read(refunded.json().position)).toMatchObject({ paid: eur(9500), balance: eur(3000) });
    }
  });
});
