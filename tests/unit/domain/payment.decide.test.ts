import type { PaymentCommand } from '../../../domain/payment/payment.commands.js';
import { decidePayment } from '../../../domain/payment/payment.decide.js';
import type { PaymentEvent } from '../../../domain/payment/payment.events.js';
import { evolvePayment, initialPaymentState } from '../../../domain/payment/payment.state.js';
import { webhookEventDecider, webhookEventKey } from '../../../domain/payment/webhook-event.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { eur } from '../../support/fixtures.js';

const spec = deciderSpec({ decide: decidePayment, evolve: evolvePayment, initialState: initialPaymentState });
const now = '2026-01-01T10:00:00.000Z';
const ids = { paymentId: 'pay1', orderId: 'ord1' };

const requested: PaymentEvent = {
  type: 'PaymentRequested',
  data: {
    ...ids,
    customerId: 'c1',
    amount: eur(10000),
    purpose: 'deposit',
    paymentMethod: 'pm_card_ok',
    requestedAt: now,
  },
};
const authorized: PaymentEvent = {
  type: 'PaymentAuthorized',
  data: { ...ids, amount: eur(10000), providerRef: 'ref1', authorizedAt: now },
};
const failed: PaymentEvent = { type: 'PaymentFailed', data: { ...ids, reason: 'card_declined', failedAt: now } };
const captured = (amount: number, total: number): PaymentEvent => ({
  type: 'PaymentCaptured',
  data: { ...ids, amount: eur(amount), captured: eur(total), capturedAt: now },
});
const refunded = (amount: number, total: number, reason = 'damaged on arrival'): PaymentEvent => ({
  type: 'PaymentRefunded',
  data: { ...ids, amount: eur(amount), refunded: eur(total), reason, refundedAt: now },
});

const request = (overrides: Record<string, unknown> = {}): PaymentCommand => ({
  type: 'RequestPayment',
  data: {
    ...ids,
    customerId: 'c1',
    amount: eur(10000),
    purpose: 'deposit',
    paymentMethod: ' pm_card_ok ',
    currency: 'EUR',
    now,
    ...overrides,
  },
});
const capture = (amount?: number, currency = 'EUR'): PaymentCommand => ({
  type: 'CapturePayment',
  data: { ...(amount === undefined ? {} : { amount: { amount, currency } }), currency: 'EUR', now },
});
const refund = (amount: number, reason = 'damaged on arrival', currency = 'EUR'): PaymentCommand => ({
  type: 'RefundPayment',
  data: { amount: { amount, currency }, reason, currency: 'EUR', now },
});
const authorize = (amount = 10000): PaymentCommand => ({
  type: 'RecordAuthorization',
  data: { amount: eur(amount), providerRef: 'ref1', now },
});
const fail: PaymentCommand = { type: 'RecordFailure', data: { reason: 'card_declined', now } };
const capturedTotal = (total: number): PaymentCommand => ({
  type: 'RecordCapturedTotal',
  data: { total: eur(total), now },
});
const refundedTotal = (total: number): PaymentCommand => ({
  type: 'RecordRefundedTotal',
  data: { total: eur(total), reason: 'damaged on arrival', now },
});

describe('Payment decider', () => {
  describe('RequestPayment', () => {
    it('requests a payment with a trimmed method', () => spec.given([]).when(request()).then([requested]));
    it('refuses a second request for the same id', () =>
      spec.given([requested]).when(request()).thenThrows('PAYMENT_ALREADY_REQUESTED'));
    it('refuses another currency', () =>
      spec
        .given([])
        .when(request({ amount: { amount: 100, currency: 'USD' } }))
        .thenThrows('CURRENCY_NOT_SUPPORTED'));
    it('refuses a zero amount', () =>
      spec
        .given([])
        .when(request({ amount: eur(0) }))
        .thenThrows('MONEY_INVALID'));
    it('refuses a negative amount', () =>
      spec
        .given([])
        .when(request({ amount: eur(-5) }))
        .thenThrows('MONEY_INVALID'));
    it('refuses a fractional amount', () =>
      spec
        .given([])
        .when(request({ amount: eur(1.5) }))
        .thenThrows('MONEY_INVALID'));
    it('refuses a blank payment method', () =>
      spec
        .given([])
        .when(request({ paymentMethod: '  ' }))
        .thenThrows('PAYMENT_INVALID'));
  });

  describe('RecordAuthorization (the provider authorized)', () => {
    it('authorizes a pending payment', () => spec.given([requested]).when(authorize()).then([authorized]));
    it('is a no-op once authorized (a redelivered webhook)', () =>
      spec.given([requested, authorized]).when(authorize()).then([]));
    it('is a no-op once captured or refunded', () => {
      spec
        .given([requested, authorized, captured(10000, 10000)])
        .when(authorize())
        .then([]);
      spec
        .given([requested, authorized, captured(10000, 10000), refunded(10000, 10000)])
        .when(authorize())
        .then([]);
    });
    it('refuses to authorize a declined payment', () =>
      spec.given([requested, failed]).when(authorize()).thenThrows('PAYMENT_NOT_PENDING'));
    it('refuses more than was requested', () =>
      spec.given([requested]).when(authorize(10001)).thenThrows('PAYMENT_INVALID'));
    it('refuses an unknown payment', () => spec.given([]).when(authorize()).thenThrows('PAYMENT_NOT_FOUND'));
  });

  describe('RecordFailure (the provider declined)', () => {
    it('fails a pending payment', () => spec.given([requested]).when(fail).then([failed]));
    it('is a no-op once failed', () => spec.given([requested, failed]).when(fail).then([]));
    it('refuses to fail an authorized payment', () =>
      spec.given([requested, authorized]).when(fail).thenThrows('PAYMENT_NOT_PENDING'));
    it('refuses an unknown payment', () => spec.given([]).when(fail).thenThrows('PAYMENT_NOT_FOUND'));
  });

  describe('CapturePayment', () => {
    it('captures all that is authorized by default', () =>
      spec
        .given([requested, authorized])
        .when(capture())
        .then([captured(10000, 10000)]));
    it('captures in parts up to the authorized amount', () => {
      spec
        .given([requested, authorized])
        .when(capture(4000))
        .then([captured(4000, 4000)]);
      spec
        .given([requested, authorized, captured(4000, 4000)])
        .when(capture())
        .then([captured(6000, 10000)]);
    });
    it('refuses more than is left of the authorization', () =>
      spec
        .given([requested, authorized, captured(4000, 4000)])
        .when(capture(6001))
        .thenThrows('CAPTURE_EXCEEDS_AUTHORIZED'));
    it('refuses a fully captured payment', () =>
      spec
        .given([requested, authorized, captured(10000, 10000)])
        .when(capture())
        .thenThrows('PAYMENT_NOT_CAPTURABLE'));
    it('refuses a pending payment', () => spec.given([requested]).when(capture()).thenThrows('PAYMENT_NOT_CAPTURABLE'));
    it('refuses a failed payment', () =>
      spec.given([requested, failed]).when(capture()).thenThrows('PAYMENT_NOT_CAPTURABLE'));
    it('refuses once refunds began', () =>
      spec
        .given([requested, authorized, captured(5000, 5000), refunded(1000, 1000)])
        .when(capture(1))
        .thenThrows('PAYMENT_NOT_CAPTURABLE'));
    it('refuses a zero amount and another currency', () => {
      spec.given([requested, authorized]).when(capture(0)).thenThrows('MONEY_INVALID');
      spec.given([requested, authorized]).when(capture(100, 'USD')).thenThrows('CURRENCY_NOT_SUPPORTED');
    });
    it('refuses an unknown payment', () => spec.given([]).when(capture()).thenThrows('PAYMENT_NOT_FOUND'));
  });

  describe('RefundPayment', () => {
    const paid = [requested, authorized, captured(10000, 10000)];
    it('refunds part of what was captured', () =>
      spec
        .given(paid)
        .when(refund(3000))
        .then([refunded(3000, 3000)]));
    it('refunds the rest', () =>
      spec
        .given([...paid, refunded(3000, 3000)])
        .when(refund(7000))
        .then([refunded(7000, 10000)]));
    it('refuses more than was captured and not yet refunded', () =>
      spec
        .given([...paid, refunded(3000, 3000)])
        .when(refund(7001))
        .thenThrows('REFUND_EXCEEDS_CAPTURED'));
    it('refuses a fully refunded payment', () =>
      spec
        .given([...paid, refunded(10000, 10000)])
        .when(refund(1))
        .thenThrows('PAYMENT_NOT_REFUNDABLE'));
    it('refuses what was never captured', () => {
      spec.given([requested, authorized]).when(refund(1)).thenThrows('PAYMENT_NOT_REFUNDABLE');
      spec.given([requested]).when(refund(1)).thenThrows('PAYMENT_NOT_REFUNDABLE');
      spec.given([requested, failed]).when(refund(1)).thenThrows('PAYMENT_NOT_REFUNDABLE');
    });
    it('refuses a zero amount, another currency and a blank reason', () => {
      spec.given(paid).when(refund(0)).thenThrows('MONEY_INVALID');
      spec
        .given(paid)
        .when(refund(100, 'why', 'GBP'))
        .thenThrows('CURRENCY_NOT_SUPPORTED');
      spec.given(paid).when(refund(100, ' ')).thenThrows('PAYMENT_INVALID');
    });
    it('refuses an unknown payment', () => spec.given([]).when(refund(1)).thenThrows('PAYMENT_NOT_FOUND'));
  });

  describe('RecordCapturedTotal (the provider reports its running total)', () => {
    it('captures the difference', () =>
      spec
        .given([requested, authorized, captured(4000, 4000)])
        .when(capturedTotal(10000))
        .then([captured(6000, 10000)]));
    it('is a no-op for a total already recorded', () => {
      spec
        .given([requested, authorized, captured(4000, 4000)])
        .when(capturedTotal(4000))
        .then([]);
      spec
        .given([requested, authorized, captured(10000, 10000), refunded(10000, 10000)])
        .when(capturedTotal(10000))
        .then([]);
    });
    it('refuses a total beyond the authorization', () =>
      spec.given([requested, authorized]).when(capturedTotal(10001)).thenThrows('CAPTURE_EXCEEDS_AUTHORIZED'));
    it('refuses a capture of a payment not authorized', () =>
      spec.given([requested]).when(capturedTotal(100)).thenThrows('PAYMENT_NOT_CAPTURABLE'));
  });

  describe('RecordRefundedTotal (the provider reports its running total)', () => {
    const paid = [requested, authorized, captured(10000, 10000)];
    it('refunds the difference', () =>
      spec
        .given([...paid, refunded(3000, 3000)])
        .when(refundedTotal(5000))
        .then([refunded(2000, 5000)]));
    it('is a no-op for a total already recorded', () =>
      spec
        .given([...paid, refunded(3000, 3000)])
        .when(refundedTotal(3000))
        .then([]));
    it('refuses a total beyond what was captured', () =>
      spec.given(paid).when(refundedTotal(10001)).thenThrows('REFUND_EXCEEDS_CAPTURED'));
  });

  describe('state', () => {
    const fold = (events: PaymentEvent[]) => events.reduce(evolvePayment, initialPaymentState());
    it('follows pending, authorized, captured, partially_refunded, refunded', () => {
      expect(fold([requested]).status).toBe('pending');
      expect(fold([requested, authorized]).status).toBe('authorized');
      expect(fold([requested, authorized, captured(10000, 10000)]).status).toBe('captured');
      expect(fold([requested, authorized, captured(10000, 10000), refunded(1, 1)]).status).toBe('partially_refunded');
      expect(
        fold([requested, authorized, captured(10000, 10000), refunded(1, 1), refunded(9999, 10000)]),
      ).toMatchObject({ status: 'refunded', refunded: eur(10000) });
      expect(fold([requested, failed]).status).toBe('failed');
    });
  });
});

describe('webhook event claims', () => {
  const claims = deciderSpec(webhookEventDecider);
  const receive = {
    type: 'ReceiveWebhookEvent' as const,
    data: { provider: 'sandbox', eventId: 'evt_1', eventType: 'payment.authorized', paymentId: 'pay1', now },
  };
  const received = {
    type: 'WebhookEventReceived' as const,
    data: {
      provider: 'sandbox',
      eventId: 'evt_1',
      eventType: 'payment.authorized',
      paymentId: 'pay1',
      receivedAt: now,
    },
  };
  it('records the first delivery of a provider event id', () => claims.given([]).when(receive).then([received]));
  it('decides nothing for a repeat', () => claims.given([received]).when(receive).then([]));
  it('name one stream per provider event id, escaped', () =>
    expect(webhookEventDecider.streamOf(webhookEventKey('sandbox', 'evt/1 2'))).toBe(
      'webhookevent-sandbox-evt%2F1%202',
    ));
});
