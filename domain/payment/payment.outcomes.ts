import { DomainError } from '../shared/domain-error.js';
import type {
  RecordAuthorization,
  RecordCapturedTotal,
  RecordFailure,
  RecordRefundedTotal,
} from './payment.commands.js';
import { assertPositive, capture, refund } from './payment.rules.js';
import { PaymentErrors } from './payment.errors.js';
import type { PaymentEvent } from './payment.events.js';
import type { Payment } from './payment.state.js';

/**
 * Outcomes the provider reports. Each is a fact about the provider's side: one already recorded
 * decides nothing (a redelivered webhook, a webhook racing the synchronous answer); one that
 * contradicts what is recorded (authorized after declined) is a conflict.
 */

export function recordAuthorization({ data }: RecordAuthorization, payment: Payment): PaymentEvent[] {
  if (payment.status === 'failed')
    throw new DomainError(
      PaymentErrors.notPending,
      `Payment ${payment.paymentId} was declined; it cannot be authorized now`,
    );
  if (payment.status !== 'pending') return [];
  assertPositive(data.amount, payment.amount.currency, 'amount');
  if (data.amount.amount > payment.amount.amount) {
    throw new DomainError(
      PaymentErrors.invalid,
      `The provider authorized ${data.amount.amount}, more than the ${payment.amount.amount} requested`,
      [{ field: 'amount', message: `at most ${payment.amount.amount}` }],
    );
  }
  return [
    {
      type: 'PaymentAuthorized',
      data: {
        paymentId: payment.paymentId,
        orderId: payment.orderId,
        amount: data.amount,
        providerRef: data.providerRef,
        authorizedAt: data.now,
      },
    },
  ];
}

export function recordFailure({ data }: RecordFailure, payment: Payment): PaymentEvent[] {
  if (payment.status === 'failed') return [];
  if (payment.status !== 'pending')
    throw new DomainError(
      PaymentErrors.notPending,
      `Payment ${payment.paymentId} is ${payment.status}; it cannot fail now`,
    );
  const reason = data.reason.trim() || 'declined';
  return [
    {
      type: 'PaymentFailed',
      data: { paymentId: payment.paymentId, orderId: payment.orderId, reason, failedAt: data.now },
    },
  ];
}

/** Captures the difference between the provider's running total and what is recorded; nothing when it is not more. */
export function recordCapturedTotal({ data }: RecordCapturedTotal, payment: Payment): PaymentEvent[] {
  if (data.total.currency === payment.captured.currency && data.total.amount <= payment.captured.amount) return [];
  const amount = { amount: data.total.amount - payment.captured.amount, currency: data.total.currency };
  return capture(
    { type: 'CapturePayment', data: { amount, currency: payment.amount.currency, now: data.now } },
    payment,
  );
}

/** Refunds the difference between the provider's running total and what is recorded; nothing when it is not more. */
export function recordRefundedTotal({ data }: RecordRefundedTotal, payment: Payment): PaymentEvent[] {
  if (data.total.currency === payment.refunded.currency && data.total.amount <= payment.refunded.amount) return [];
  const amount = { amount: data.total.amount - payment.refunded.amount, currency: data.total.currency };
  return refund(
    { type: 'RefundPayment', data: { amount, reason: data.reason, currency: payment.amount.currency, now: data.now } },
    payment,
  );
}
