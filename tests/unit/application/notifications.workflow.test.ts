/**
 * The notifications workflow, given events, when an event, then commands: each notification names its
 * cause (the event's id), a payment's mail goes to the customer its request named, and an order's
 * hold-expiring notice is due before the hold runs out.
 */
import type { RecordedEvent } from '../../../application/ports/event-store.port.js';
import { QueueNotificationCommand } from '../../../application/notification/queue-notification.command.js';
import {
  notificationsWorkflow as wf,
  type NotificationsState,
} from '../../../application/notification/notifications.workflow.js';

let position = 0n;
const recorded = (type: string, data: Record<string, unknown>) =>
  ({
    id: `event-${++position}`,
    type,
    data,
    streamId: 'x',
    revision: 0n,
    position,
    metadata: { occurredAt: '2026-06-01T09:00:00.000Z', correlationId: 'c', actor: 'staff' },
  }) as unknown as Parameters<typeof wf.decide>[0] & RecordedEvent;

/** The commands for `event` after `given` were folded into its instance. */
function when(given: ReturnType<typeof recorded>[], event: ReturnType<typeof recorded>) {
  let state: NotificationsState = wf.initialState();
  for (const e of [...given, event]) state = wf.evolve(state, e);
  return wf.decide(event, state) as QueueNotificationCommand[];
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const placed = recorded('OrderPlaced', {
  orderId: 'o1',
  customerId: 'c1',
  rentalStart: '2026-06-05',
  rentalEnd: '2026-06-08',
  rentalDays: 3,
  items: [],
  subtotal: eur(6000),
  deposit: eur(5000),
  holdExpiresAt: '2026-06-01T09:30:00.000Z',
  fulfilment: { method: 'pickup' },
  placedAt: '2026-06-01T09:00:00.000Z',
});

describe('the notifications workflow', () => {
  it('queues the order-placed mail and its hold reminder, both caused by the event', () => {
    const [mail, hold] = when([], placed);
    expect(mail.request).toMatchObject({
      template: 'order-placed',
      cause: placed.id,
      customerId: 'c1',
      orderId: 'o1',
      params: { total: eur(11000), holdExpiresAt: '2026-06-01T09:30:00.000Z' },
    });
    expect([hold.request.template, hold.options.holdExpiresAt]).toEqual(['hold-expiring', '2026-06-01T09:30:00.000Z']);
  });

  it('confirms with the dates the order had, extended ones included', () => {
    const extended = recorded('OrderExtended', { orderId: 'o1', rentalEnd: '2026-06-09' });
    const [confirmed] = when([placed, extended], recorded('OrderConfirmed', { orderId: 'o1', customerId: 'c1' }));
    expect(confirmed.request.params).toEqual({ orderId: 'o1', rentalStart: '2026-06-05', rentalEnd: '2026-06-09' });
  });

  it('sends a receipt and a refund to the customer the payment was requested for; an unknown payment to nobody', () => {
    const requested = recorded('PaymentRequested', {
      paymentId: 'p1',
      orderId: 'o1',
      customerId: 'c1',
      purpose: 'deposit',
    });
    const captured = recorded('PaymentCaptured', { paymentId: 'p1', orderId: 'o1', amount: eur(5000) });
    const [receipt] = when([requested], captured);
    expect(receipt.request).toMatchObject({ template: 'payment-receipt', customerId: 'c1', cause: captured.id });
    expect(receipt.request.params).toMatchObject({ amount: eur(5000), purpose: 'deposit' });
    const refunded = recorded('PaymentRefunded', { paymentId: 'p1', orderId: 'o1', amount: eur(1000) });
    expect(when([requested, captured], refunded)[0].request.template).toBe('refund');
    expect(when([], captured)).toEqual([]);
    expect(when([], requested)).toEqual([]);
  });

  it('tells of a sign-in from a new device from the sessions before it only, and of MFA turned on and off', () => {
    const session = (n: number, deviceKey: string | null) =>
      recorded('SessionStarted', { sessionId: `s${n}`, userId: 'u1', deviceKey, startedAt: `t${n}` });
    const firefox = session(1, 'k-firefox');
    // The first sign-in ever: no device to compare with.
    expect(when([], firefox)).toEqual([]);
    const [signIn] = when([firefox], session(2, 'k-safari'));
    expect(signIn.request).toMatchObject({ template: 'new-device-sign-in', userId: 'u1', params: { at: 't2' } });
    expect(signIn.options).toEqual({});
    // A second sign-in from that device, however soon: known by then. The first one's again: known.
    const safari = session(2, 'k-safari');
    expect(when([firefox, safari], session(3, 'k-safari'))).toEqual([]);
    expect(when([firefox, safari], session(4, 'k-firefox'))).toEqual([]);
    // Sessions recorded before device keys (null): never new, nor the first keyed one after them.
    expect(when([session(5, null)], session(6, null))).toEqual([]);
    expect(when([session(5, null)], session(6, 'k-edge'))).toEqual([]);
    expect(when([session(5, null), session(6, 'k-edge')], session(7, 'k-opera'))).toHaveLength(1);
    expect(when([], recorded('UserMfaEnabled', { userId: 'u1', enabledAt: 't' }))[0].request.template).toBe(
      'mfa-enabled',
    );
    expect(when([], recorded('UserMfaDisabled', { userId: 'u1', disabledAt: 't' }))[0].request.template).toBe(
      'mfa-disabled',
    );
  });

  it('keeps instances apart: orders, payments, users', () => {
    expect(wf.instanceOf(placed)).toBe('order:o1');
    expect(wf.instanceOf(recorded('PaymentCaptured', { paymentId: 'p1' }))).toBe('payment:p1');
    expect(wf.instanceOf(recorded('UserMfaEnabled', { userId: 'u1' }))).toBe('user:u1');
  });
});
