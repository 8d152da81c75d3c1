import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxFaults } from '../../../infrastructure/payments/sandbox-faults.js';
import { eur } from '../../support/fixtures.js';
import { WEBHOOK_SECRET, placeOrder, registerProduct } from '../../support/payment-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/** The app's clock: the machine's, moved ahead by the test. */
let aheadMs = 0;
const clock = { now: () => new Date(Date.now() + aheadMs) };
const faults = new SandboxFaults();

let t: TestApp;
let productId: string;
beforeAll(async () => {
  // PUBLIC_URL: nothing listens there, so the sandbox's webhooks never arrive: the payments stay pending.
  t = await startTestApp(
    {
      PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PUBLIC_URL: 'http://127.0.0.1:9',
      PAYMENT_PENDING_TIMEOUT_SECONDS: '600',
      READ_WAIT_TIMEOUT_MS: '2000',
      // The worker's engine runs no payments-queue job here: these tests run the schedule's slots themselves.
      JOBS_CONCURRENCY_PAYMENTS: '0',
    },
    { clock, gatewayFaults: faults },
  );
  productId = await registerProduct(t);
});
afterAll(() => t.close());
afterEach(() => faults.clear());

const staff = () => t.authAs(['staff']);
const reconcile = () => t.runSchedule('reconcile-payments');

async function pendingPayment(amount: number, paymentMethod = 'pm_card_async') {
  const orderId = await placeOrder(t, 'cust-1', productId);
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/payments`,
    payload: { amount: eur(amount), purpose: 'deposit', paymentMethod },
    headers: staff(),
  });
  expect(res.statusCode).toBe(201);
  expect(res.json().status).toBe('pending');
  return { orderId, paymentId: res.json().paymentId as string, position: res.json().position as string };
}

/** GET /v1/payments/{id} once the read models show `position` (or the command's own, by default). */
const shown = async (paymentId: string, position?: string) => {
  const headers: Record<string, string> = { ...staff(), ...(position ? { 'x-min-position': position } : {}) };
  const res = await t.app.inject({ method: 'GET', url: `/v1/payments/${paymentId}`, headers });
  expect(res.statusCode).toBe(200);
  return res.json() as { status: string; history: Array<{ type: string; reason?: string }> };
};

const head = async () => String(await t.infra.events.headPosition());

describe('payment reconciliation (the reconcile-payments schedule)', () => {
  it('is registered for the payments queue, every minute', async () => {
    const { SCHEDULES } = await import('../../../application/shared/job.js');
    const schedules = t.app.get<Array<{ name: string; cron: string; queue: string }>>(SCHEDULES, { strict: false });
    expect(schedules.find((s) => s.name === 'reconcile-payments')).toMatchObject({
      cron: '* * * * *',
      queue: 'payments',
    });
  });

  it('leaves a payment pending until the timeout, then settles it by what the provider answers', async () => {
    aheadMs = 0;
    const ok = await pendingPayment(8000);
    const declined = await pendingPayment(8013);
    await shown(declined.paymentId, declined.position);
    expect(await reconcile()).toMatchObject({ authorized: 0, failed: 0 });
    expect((await shown(ok.paymentId)).status).toBe('pending');

    aheadMs = 601_000;
    const result = await reconcile();
    expect(result).toEqual({ found: 2, authorized: 1, failed: 1, unchanged: 0, errors: 0 });
    const position = await head();
    const authorized = await shown(ok.paymentId, position);
    expect(authorized.status).toBe('authorized');
    expect(authorized.history.map((h) => h.type)).toEqual(['PaymentRequested', 'PaymentAuthorized']);
    const failed = await shown(declined.paymentId, position);
    expect(failed.status).toBe('failed');
    expect(failed.history.at(-1)).toMatchObject({ type: 'PaymentFailed', reason: 'card_declined' });
    const authorization = (await t.infra.events.readStream(`payment-${ok.paymentId}`))[1];
    expect(authorization.metadata.actor).toEqual({ userId: 'system', role: 'system' });

    // The order's balance shows the authorization (the one command path brought it onto the order).
    const order = await t.app.inject({
      method: 'GET',
      url: `/v1/orders/${ok.orderId}`,
      headers: { ...staff(), 'x-min-position': position },
    });
    expect(order.json().payments).toEqual(
      expect.arrayContaining([expect.objectContaining({ paymentId: ok.paymentId, status: 'authorized' })]),
    );

    // Another slot changes nothing: settled payments are not asked again.
    const calls = faults.calls.length;
    const after = await head();
    await reconcile();
    expect(await head()).toBe(after);
    const asked = faults.calls.slice(calls).map((c) => c.paymentId);
    expect(asked).not.toContain(ok.paymentId);
    expect(asked).not.toContain(declined.paymentId);
  });

  it('settles a payment whose authorization never got an answer (the provider was down)', async () => {
    aheadMs = 0;
    faults.failAlways('authorize', 'unavailable');
    const lost = await pendingPayment(5000, 'pm_card_ok');
    faults.clear();
    aheadMs = 601_000;
    await reconcile();
    expect((await shown(lost.paymentId, await head())).status).toBe('authorized');
  });

  it('keeps a payment pending while the provider cannot be asked, and settles it in a later slot', async () => {
    aheadMs = 0;
    const { paymentId } = await pendingPayment(7000);
    aheadMs = 601_000;
    faults.failAlways('status', 'timeout');
    const result = await reconcile();
    expect(result).toMatchObject({ errors: expect.any(Number) });
    expect((result as { errors: number }).errors).toBeGreaterThanOrEqual(1);
    expect((await shown(paymentId, await head())).status).toBe('pending');
    expect(faults.calls.filter((c) => c.paymentId === paymentId && c.operation === 'status')).toHaveLength(3);

    faults.clear();
    await reconcile();
    expect((await shown(paymentId, await head())).status).toBe('authorized');
  });
});

describe('a payment pending when the processes stop', () => {
  it("is settled by the next process's worker on the same data, from what was stored", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-reconcile-'));
    const env = { DATA_DIR: dir, PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_URL: 'http://127.0.0.1:9' };
    let ahead = 0;
    const movable = { now: () => new Date(Date.now() + ahead) };
    try {
      const first = await startTestApp(env, { clock: movable });
      const product = await registerProduct(first);
      const orderId = await placeOrder(first, 'cust-1', product);
      const res = await first.app.inject({
        method: 'POST',
        url: `/v1/orders/${orderId}/payments`,
        payload: { amount: eur(4000), purpose: 'deposit', paymentMethod: 'pm_card_async' },
        headers: first.authAs(['staff']),
      });
      const { paymentId, position } = res.json() as { paymentId: string; position: string };
      await first.app.inject({
        method: 'GET',
        url: `/v1/payments/${paymentId}`,
        headers: { ...first.authAs(['staff']), 'x-min-position': position },
      });
      await first.close(); // the sandbox's webhook timer dies with it

      ahead = 901_000; // past the default PAYMENT_PENDING_TIMEOUT_SECONDS (900)
      const second = await startTestApp(env, { clock: movable });
      try {
        // The worker's job engine fires the schedule's due slot (a worker that starts fires the latest) and runs it.
        await second.worker.jobs.drain();
        const jobs = await second.app.inject({ method: 'GET', url: '/v1/jobs', headers: second.authAs(['admin']) });
        expect(JSON.stringify(jobs.json())).toContain('reconcile-payments');
        const shownNow = await second.app.inject({
          method: 'GET',
          url: `/v1/payments/${paymentId}`,
          headers: { ...second.authAs(['staff']), 'x-min-position': String(await second.infra.events.headPosition()) },
        });
        expect(shownNow.json()).toMatchObject({ status: 'authorized' });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
