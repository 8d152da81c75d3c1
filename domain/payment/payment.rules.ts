import { DomainError } from '../shared/domain-error.js';
import { assertPrice, subtract, type Money } from '../shared/money.js';
import { MoneyErrors } from '../shared/shared.errors.js';
import type { CapturePayment, RefundPayment, RequestPayment } from './payment.commands.js';
import { PaymentErrors } from './payment.errors.js';
import type { PaymentCaptured, PaymentEvent, PaymentRefunded } from './payment.events.js';
import type { Payment, PaymentState } from './payment.state.js';

/** The commands staff and customers give: each refuses what the payment's state does not allow. */

export function request({ data }: RequestPayment, state: PaymentState): PaymentEvent[] {
  if (state.status !== 'none')
    throw new DomainError(PaymentErrors.alreadyRequested, `Payment ${data.paymentId} already exists`);
  assertPositive(data.amount, data.currency, 'amount');
  if (data.paymentMethod.trim() === '') {
    throw new DomainError(PaymentErrors.invalid, 'A payment method is required', [
      { field: 'paymentMethod', message: 'must not be blank' },
    ]);
  }
  const { currency: _c, now, ...facts } = data;
  return [
    { type: 'PaymentRequested', data: { ...facts, paymentMethod: facts.paymentMethod.trim(), requestedAt: now } },
  ];
}

/** What is left of the authorization to capture. */
const capturable = (payment: Payment): Money => subtract(payment.authorized, payment.captured);

/** What was captured and not yet refunded. */
const refundable = (payment: Payment): Money => subtract(payment.captured, payment.refunded);

export function capture({ data }: CapturePayment, state: PaymentState): PaymentCaptured[] {
  const payment = requireExisting(state);
  if (payment.status !== 'authorized' && payment.status !== 'captured') {
    throw new DomainError(
      PaymentErrors.notCapturable,
      `Payment ${payment.paymentId} is ${payment.status}; only an authorized payment can be captured`,
    );
  }
  const left = capturable(payment);
  if (left.amount === 0)
    throw new DomainError(PaymentErrors.notCapturable, `Payment ${payment.paymentId} is fully captured`);
  const amount = data.amount ?? left;
  assertPositive(amount, data.currency, 'amount');
  if (amount.amount > left.amount) {
    throw new DomainError(
      PaymentErrors.captureExceedsAuthorized,
      `Only ${left.amount} of the authorized ${payment.authorized.amount} is left to capture`,
      [{ field: 'amount', message: `at most ${left.amount}` }],
    );
  }
  const captured = { amount: payment.captured.amount + amount.amount, currency: amount.currency };
  return [
    {
      type: 'PaymentCaptured',
      data: { paymentId: payment.paymentId, orderId: payment.orderId, amount, captured, capturedAt: data.now },
    },
  ];
}

export function refund({ data }: RefundPayment, state: PaymentState): PaymentRefunded[] {
  const payment = requireExisting(state);
  if (payment.status !== 'captured' && payment.status !== 'partially_refunded') {
    throw new DomainError(
      PaymentErrors.notRefundable,
      `Payment ${payment.paymentId} is ${payment.status}; only captured money can be refunded`,
    );
  }
  assertPositive(data.amount, data.currency, 'amount');
  const left = refundable(payment);
  if (data.amount.amount > left.amount) {
    throw new DomainError(
      PaymentErrors.refundExceedsCaptured,
      `Only ${left.amount} of the captured ${payment.captured.amount} is left to refund`,
      [{ field: 'amount', message: `at most ${left.amount}` }],
    );
  }
  if (data.reason.trim() === '') {
    throw new DomainError(PaymentErrors.invalid, 'A refund needs a reason', [
      { field: 'reason', message: 'must not be blank' },
    ]);
  }
  const refunded = { amount: payment.refunded.amount + data.amount.amount, currency: data.amount.currency };
  return [
    {
      type: 'PaymentRefunded',
      data: {
        paymentId: payment.paymentId,
        orderId: payment.orderId,
        amount: data.amount,
        refunded,
        reason: data.reason.trim(),
        refundedAt: data.now,
      },
    },
  ];
}

export function requireExisting(state: PaymentState): Payment {
  if (state.status === 'none') throw new DomainError(PaymentErrors.notFound, 'No such payment');
  return state;
}

/** A positive integer amount in the deployment's currency. */
export function assertPositive(value: Money, currency: string, field: string): void {
  assertPrice(value, currency, field);
  if (value.amount === 0) {
    throw new DomainError(MoneyErrors.invalid, `${field}: amount must be a positive integer in minor units`, [
      { field, message: 'amount must be positive' },
    ]);
  }
}
