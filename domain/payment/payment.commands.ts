import type { Money } from '../shared/money.js';
import type { PaymentPurpose } from './payment.events.js';

export interface RequestPayment {
  type: 'RequestPayment';
  data: {
    paymentId: string;
    orderId: string;
    customerId: string;
    amount: Money;
    purpose: PaymentPurpose;
    paymentMethod: string;
    /** The deployment's currency: amounts in any other are refused. */
    currency: string;
    now: string;
  };
}

/** Capture (part of) the authorized amount; without `amount`, all that is left of it. */
export interface CapturePayment {
  type: 'CapturePayment';
  data: { amount?: Money; currency: string; now: string };
}

export interface RefundPayment {
  type: 'RefundPayment';
  data: { amount: Money; reason: string; currency: string; now: string };
}

/** The provider authorized the payment (its synchronous answer, or a webhook). */
export interface RecordAuthorization {
  type: 'RecordAuthorization';
  data: { amount: Money; providerRef: string; now: string };
}

/** The provider declined the payment. */
export interface RecordFailure {
  type: 'RecordFailure';
  data: { reason: string; now: string };
}

/** The provider reports the running total it has captured (so that a repeat changes nothing). */
export interface RecordCapturedTotal {
  type: 'RecordCapturedTotal';
  data: { total: Money; now: string };
}

/** The provider reports the running total it has refunded. */
export interface RecordRefundedTotal {
  type: 'RecordRefundedTotal';
  data: { total: Money; reason: string; now: string };
}

export type PaymentCommand =
  | RequestPayment
  | CapturePayment
  | RefundPayment
  | RecordAuthorization
  | RecordFailure
  | RecordCapturedTotal
  | RecordRefundedTotal;
