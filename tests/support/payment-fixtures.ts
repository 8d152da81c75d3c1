import { randomUUID } from 'node:crypto';
import { orderStream, type OrderPlaced } from '../../domain/order/order.events.js';
import { signWebhook } from '../../infrastructure/payments/webhook-signature.js';
import { drill, eur, newEvent } from './fixtures.js';
import type { TestApp } from './test-app.js';

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

/** A product through the API, as staff. */
export async function registerProduct(t: TestApp): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/products',
    payload: drill(),
    headers: t.authAs(['staff']),
  });
  expect(res.statusCode).toBe(201);
  return res.json().productId as string;
}

/** The first event of an order placed by `customerId` for one `productId` (subtotal 7500 + deposit 5000). */
export function orderPlaced(orderId: string, customerId: string, productId: string): OrderPlaced {
  return {
    type: 'OrderPlaced',
    data: {
      orderId,
      customerId,
      rentalStart: '2026-08-15',
      rentalEnd: '2026-08-20',
      rentalDays: 5,
      items: [
        {
          productId,
          sku: 'DRL-1',
          name: 'Hammer drill',
          quantity: 1,
          dailyRate: eur(1500),
          unitDeposit: eur(5000),
          lineTotal: eur(7500),
        },
      ],
      subtotal: eur(7500),
      deposit: eur(5000),
      // Far ahead: the worker's expire-holds schedule (every minute) must not expire it during a test.
      holdExpiresAt: '2099-08-01T00:30:00.000Z',
      fulfilment: { method: 'pickup' },
      placedAt: '2026-08-01T00:00:00.000Z',
    },
  };
}

/** An order placed by `customerId`: its first event, appended straight to `order-<id>`. */
export async function placeOrder(t: TestApp, customerId: string, productId: string): Promise<string> {
  const orderId = randomUUID();
  await t.infra.events.append(
    orderStream(orderId),
    [newEvent(orderPlaced(orderId, customerId, productId))],
    'no_stream',
  );
  return orderId;
}

export interface Webhook {
  id: string;
  type: string;
  created: number;
  data: Record<string, unknown>;
}

export const webhook = (
  type: string,
  paymentId: string,
  amount: number,
  extra: Record<string, unknown> = {},
): Webhook => ({
  id: `evt_${randomUUID()}`,
  type,
  created: Math.floor(Date.now() / 1000),
  data: { paymentId, amount: eur(amount), ...extra },
});

/** POSTs a webhook body (an object, or the exact text) with a signature header (by default a valid one, made now). */
export function postWebhook(t: TestApp, body: Webhook | string, signature?: string | null, provider = 'sandbox') {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const header = signature === undefined ? signWebhook(WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)) : signature;
  return t.app.inject({
    method: 'POST',
    url: `/v1/payments/webhooks/${provider}`,
    payload: raw,
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'rentlog-signature': header }) },
  });
}

/** The streams the payments area writes: payments and webhook claims. */
export const PAYMENT_STREAMS = /^(payment|webhookevent)-/;

/**
 * What the payments area appended after `position` (payment streams and webhook claims). Other
 * writers (the order-payments workflow) may append at any time, so the head position proves nothing.
 */
export async function paymentEventsSince(t: TestApp, position: bigint): Promise<string[]> {
  const events = await t.infra.events.readAll({ after: position });
  return events.filter((e) => PAYMENT_STREAMS.test(e.streamId)).map((e) => `${e.streamId} ${e.type}`);
}
