import { startupWarnings } from '../../../bin/composition/processes.js';
import { signWebhook } from '../../../infrastructure/payments/webhook-signature.js';
import {
  WEBHOOK_SECRET,
  paymentEventsSince,
  placeOrder,
  postWebhook,
  registerProduct,
  webhook,
} from '../../support/payment-fixtures.js';
import { eventually } from '../../support/eventually.js';
import { eur } from '../../support/fixtures.js';
import { freePort } from '../../support/npm-start.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/** The API's clock runs `skewSeconds` ahead of the machine's, to show the signature check uses the clock port. */
let skewSeconds = 0;
const clock = { now: () => new Date(Date.now() + skewSeconds * 1000) };

let t: TestApp;
let productId: string;
beforeAll(async () => {
  // PUBLIC_URL: nothing listens there, so the sandbox's own webhooks never arrive; these tests send them.
  t = await startTestApp({ PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_URL: 'http://127.0.0.1:9' }, { clock });
  productId = await registerProduct(t);
});
afterAll(() => t.close());

async function pendingPayment(app: TestApp = t) {
  const orderId = await placeOrder(app, 'cust-1', productId);
  const res = await app.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/payments`,
    payload: { amount: eur(8000), purpose: 'rental', paymentMethod: 'pm_card_async' },
    headers: app.authAs(['staff']),
  });
  expect(res.statusCode).toBe(201);
  expect(res.json().status).toBe('pending');
  return res.json().paymentId as string;
}
const typesOf = async (paymentId: string, app: TestApp = t) =>
  (await app.infra.events.readStream(`payment-${paymentId}`)).map((e) => e.type);

describe('POST /v1/payments/webhooks/sandbox', () => {
  it('authorizes a pending pm_card_async payment; the same event id again is a 200 that changes nothing', async () => {
    const paymentId = await pendingPayment();
    expect(await typesOf(paymentId)).toEqual(['PaymentRequested']);
    const event = webhook('payment.authorized', paymentId, 8000, { providerRef: 'sbx_auth_1' });
    const first = await postWebhook(t, event);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, duplicate: false, applied: true, status: 'authorized' });
    const events = await t.infra.events.readStream(`payment-${paymentId}`);
    expect(events.map((e) => e.type)).toEqual(['PaymentRequested', 'PaymentAuthorized']);
    expect(events[1].data).toMatchObject({ amount: eur(8000), providerRef: 'sbx_auth_1' });
    expect(events[1].metadata.actor).toEqual({ userId: 'provider:sandbox', role: 'payment_provider' });
    expect(await t.infra.events.readStream(`webhookevent-sandbox-${encodeURIComponent(event.id)}`)).toHaveLength(1);

    const before = await t.infra.events.headPosition();
    const again = await postWebhook(t, event);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, duplicate: true, applied: false, status: 'authorized' });
    expect(await paymentEventsSince(t, before)).toEqual([]);
    // Another delivery of the same outcome (a new event id) is recorded, and decides nothing either.
    expect((await postWebhook(t, webhook('payment.authorized', paymentId, 8000))).json()).toMatchObject({
      duplicate: false,
      applied: false,
    });
    expect(await typesOf(paymentId)).toEqual(['PaymentRequested', 'PaymentAuthorized']);
  });

  it('applies payment.failed, payment.captured and payment.refunded (running totals) through the decider', async () => {
    const declined = await pendingPayment();
    expect(
      (await postWebhook(t, webhook('payment.failed', declined, 8000, { reason: 'insufficient_funds' }))).json(),
    ).toMatchObject({ applied: true, status: 'failed' });
    const contradiction = webhook('payment.authorized', declined, 8000);
    expect((await postWebhook(t, contradiction)).json()).toMatchObject({ status: 409, code: 'PAYMENT_NOT_PENDING' });
    expect((await postWebhook(t, contradiction)).json()).toEqual({
      received: true,
      duplicate: true,
      applied: false,
      status: null,
    });
    expect(await typesOf(declined)).toEqual(['PaymentRequested', 'PaymentFailed']);

    const paymentId = await pendingPayment();
    await postWebhook(t, webhook('payment.authorized', paymentId, 8000));
    expect((await postWebhook(t, webhook('payment.captured', paymentId, 3000))).json()).toMatchObject({
      applied: true,
      status: 'captured',
    });
    expect((await postWebhook(t, webhook('payment.captured', paymentId, 3000))).json()).toMatchObject({
      applied: false,
      status: 'captured',
    });
    expect((await postWebhook(t, webhook('payment.refunded', paymentId, 1000))).json()).toMatchObject({
      applied: true,
      status: 'partially_refunded',
    });
    const events = await t.infra.events.readStream(`payment-${paymentId}`);
    expect(events.map((e) => e.type)).toEqual([
      'PaymentRequested',
      'PaymentAuthorized',
      'PaymentCaptured',
      'PaymentRefunded',
    ]);
    expect(events[2].data).toMatchObject({ amount: eur(3000), captured: eur(3000) });
    expect(events[3].data).toMatchObject({
      amount: eur(1000),
      refunded: eur(1000),
      reason: 'refunded at the provider',
    });
  });

  it('verifies the raw bytes: the same JSON laid out otherwise fails, the signed layout passes', async () => {
    const paymentId = await pendingPayment();
    const event = webhook('payment.authorized', paymentId, 8000);
    const pretty = JSON.stringify(event, null, 2);
    const signature = signWebhook(WEBHOOK_SECRET, pretty, Math.floor(clock.now().getTime() / 1000));
    expect((await postWebhook(t, JSON.stringify(event), signature)).statusCode).toBe(400);
    expect((await postWebhook(t, pretty, signature)).json()).toMatchObject({ applied: true, status: 'authorized' });
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['a missing signature', () => null, 'missing'],
    ['a garbled signature', () => 'v1=deadbeef', 'malformed'],
    ['a wrong secret', (raw: string) => signWebhook('not-the-secret-at-all', raw, now()), 'mismatch'],
    ['a stale timestamp (301 s old)', (raw: string) => signWebhook(WEBHOOK_SECRET, raw, now() - 301), 'stale'],
  ])('refuses %s with a 400 and appends nothing', async (_what, signature, reason) => {
    const paymentId = await pendingPayment();
    const raw = JSON.stringify(webhook('payment.authorized', paymentId, 8000));
    const header = signature(raw);
    const before = await t.infra.events.headPosition();
    const res = await postWebhook(t, raw, header);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'WEBHOOK_SIGNATURE_INVALID',
      errors: [{ field: 'header.rentlog-signature', message: reason }],
    });
    expect(await paymentEventsSince(t, before)).toEqual([]);
    expect(await typesOf(paymentId)).toEqual(['PaymentRequested']);
  });

  it('judges the timestamp by the clock port', async () => {
    const paymentId = await pendingPayment();
    skewSeconds = 301;
    try {
      const res = await postWebhook(t, webhook('payment.authorized', paymentId, 8000));
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].message).toBe('stale');
    } finally {
      skewSeconds = 0;
    }
    expect((await postWebhook(t, webhook('payment.authorized', paymentId, 8000))).statusCode).toBe(200);
  });

  it('answers 404 for another provider, 400 for malformed JSON or a poisoned body, 200 for an unknown payment', async () => {
    expect(
      (
        await postWebhook(
          t,
          webhook('payment.authorized', '00000000-0000-4000-8000-000000000000', 1),
          undefined,
          'stripe',
        )
      ).statusCode,
    ).toBe(404);
    expect((await postWebhook(t, '{"id":', undefined)).json()).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    const poisoned =
      '{"id":"evt_p","type":"payment.authorized","created":1,"data":{"paymentId":"00000000-0000-4000-8000-000000000000","amount":{"amount":1,"currency":"EUR"}},"__proto__":{"polluted":true}}';
    expect((await postWebhook(t, poisoned)).json()).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const unknown = await postWebhook(t, webhook('payment.authorized', '00000000-0000-4000-8000-000000000000', 1));
    expect(unknown.json()).toEqual({ received: true, duplicate: false, applied: false, status: null });
  });
});

describe('the sandbox posting its own webhook', () => {
  it('authorizes a pm_card_async payment shortly after, over real HTTP', async () => {
    const port = await freePort();
    const live = await startTestApp({ PORT: String(port), HOST: '127.0.0.1' });
    try {
      await live.app.listen({ port, host: '127.0.0.1' });
      const paymentId = await pendingPayment(live);
      const delivered = () => live.logs().find((l) => l.message === 'sandbox webhook delivered');
      await eventually(delivered, (line) => line !== undefined, 10_000, 50);
      expect(delivered()).toMatchObject({ paymentId, status: 200, attempt: 1 });
      expect(await typesOf(paymentId, live)).toEqual(['PaymentRequested', 'PaymentAuthorized']);
      // Signed and verified with a key made up for this process, which `rentlog start` warns about.
      expect(startupWarnings(live.config, 'all')).toContain(
        'PAYMENTS_WEBHOOK_SECRET is not set: using a random key; only this process can verify payment webhooks',
      );
    } finally {
      await live.close();
    }
  });
});
