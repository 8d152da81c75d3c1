import { SandboxFaults } from '../../../infrastructure/payments/sandbox-faults.js';
import { eur } from '../../support/fixtures.js';
import { WEBHOOK_SECRET, paymentEventsSince, placeOrder, registerProduct } from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const faults = new SandboxFaults();
let t: TestApp;
let productId: string;
beforeAll(async () => {
  // PUBLIC_URL: nothing listens there, so no sandbox webhook reaches anything during these tests.
  t = await startTestApp(
    { PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_URL: 'http://127.0.0.1:9' },
    { gatewayFaults: faults },
  );
  productId = await registerProduct(t);
});
afterAll(() => t.close());
afterEach(() => faults.clear());

const staff = () => t.authAs(['staff']);
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...staff(), ...headers } });

async function authorizedPayment(amount = 10000): Promise<string> {
  const orderId = await placeOrder(t, 'cust-1', productId);
  const res = await post(`/v1/orders/${orderId}/payments`, {
    amount: eur(amount),
    purpose: 'deposit',
    paymentMethod: 'pm_card_ok',
  });
  expect(res.json()).toMatchObject({ status: 'authorized' });
  return res.json().paymentId as string;
}

const capturedPayment = async (): Promise<string> => {
  const paymentId = await authorizedPayment();
  expect((await post(`/v1/payments/${paymentId}/capture`, {})).statusCode).toBe(200);
  return paymentId;
};

const keysOf = (operation: string) =>
  faults.calls.filter((c) => c.operation === operation).map((c) => [c.idempotencyKey, c.fault]);

describe('gateway errors on capture and refund', () => {
  it('retries a timeout and a 503 under one idempotency key, and captures once', async () => {
    const paymentId = await authorizedPayment();
    faults.fail('capture', 'timeout', 'unavailable');
    const res = await post(`/v1/payments/${paymentId}/capture`, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'captured' });
    const calls = keysOf('capture');
    expect(calls.map(([, fault]) => fault)).toEqual(['timeout', 'unavailable', null]);
    expect(new Set(calls.map(([key]) => key)).size).toBe(1);
    expect(calls[0][0]).toContain(paymentId);
    const types = (await t.infra.events.readStream(`payment-${paymentId}`)).map((e) => e.type);
    expect(types).toEqual(['PaymentRequested', 'PaymentAuthorized', 'PaymentCaptured']);
  });

  it.each([
    ['timeout', 503, 'PAYMENT_GATEWAY_UNAVAILABLE'],
    ['unavailable', 503, 'PAYMENT_GATEWAY_UNAVAILABLE'],
    ['server_error', 502, 'PAYMENT_GATEWAY_ERROR'],
  ] as const)(
    'a capture the provider answers with %s on every attempt is a %i %s; nothing is written',
    async (fault, status, code) => {
      const paymentId = await authorizedPayment();
      const before = await t.infra.events.headPosition();
      faults.failAlways('capture', fault);
      const res = await post(`/v1/payments/${paymentId}/capture`, {});
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status, code, type: `/problems/${code.toLowerCase().replace(/_/g, '-')}` });
      if (status === 503) expect(res.headers['retry-after']).toBe('30');
      else expect(res.headers['retry-after']).toBeUndefined();
      expect(keysOf('capture')).toHaveLength(3);
      expect(await paymentEventsSince(t, before)).toEqual([]);
    },
  );

  it('a refund the provider cannot take is a 503 with nothing written; the client retry with the same Idempotency-Key refunds once', async () => {
    const paymentId = await capturedPayment();
    const before = await t.infra.events.headPosition();
    // The provider refunds and the answer is lost, every time: the key must stop a second refund.
    faults.failAlways('refund', 'timeout');
    const body = { amount: eur(2500), reason: 'returned early' };
    const headers = { 'idempotency-key': 'refund-1' };
    const failed = await post(`/v1/payments/${paymentId}/refund`, body, headers);
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'PAYMENT_GATEWAY_UNAVAILABLE' });
    expect(await paymentEventsSince(t, before)).toEqual([]);
    const tried = keysOf('refund').map(([key]) => key);
    expect(tried).toHaveLength(3);

    faults.clear();
    const retried = await post(`/v1/payments/${paymentId}/refund`, body, headers);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'partially_refunded', refunded: eur(2500) });
    expect(await paymentEventsSince(t, before)).toEqual([`payment-${paymentId} PaymentRefunded`]);
    const [retry] = keysOf('refund');
    expect(retry).toEqual([tried[0], null]);
    expect(new Set(tried).size).toBe(1);

    // A second refund of the same amount is another command (another revision): another key.
    faults.fail('refund', 'server_error');
    const again = await post(`/v1/payments/${paymentId}/refund`, body);
    expect(again.statusCode).toBe(200);
    const keys = keysOf('refund').map(([key]) => key);
    expect(keys[1]).toBe(keys[2]);
    expect(keys[1]).not.toBe(retry[0]);
  });

  it('never answers a 500 for a provider error, and logs the failed call without personal data', async () => {
    const paymentId = await capturedPayment();
    faults.failAlways('refund', 'server_error');
    const res = await post(`/v1/payments/${paymentId}/refund`, { amount: eur(100), reason: 'x' });
    expect(res.statusCode).toBe(502);
    const logged = t
      .logs()
      .filter((l) => l.message === 'payment provider call failed on every attempt; nothing recorded');
    expect(logged.at(-1)).toMatchObject({ operation: 'refund', paymentId, attempts: 3, kind: 'server_error' });
  });
});
