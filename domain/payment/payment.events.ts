import { eventTypes } from '../shared/decider.js';
import type { Money } from '../shared/money.js';

export type PaymentPurpose = 'deposit' | 'rental' | 'fee';

export interface PaymentRequested {
  type: 'PaymentRequested';
  data: {
    paymentId: string;
    orderId: string;
    customerId: string;
    amount: Money;
    purpose: PaymentPurpose;
    paymentMethod: string;
    requestedAt: string;
  };
}

export interface PaymentAuthorized {
  type: 'PaymentAuthorized';
  data: { paymentId: string; orderId: string; amount: Money; providerRef: string; authorizedAt: string };
}

export interface PaymentFailed {
  type: 'PaymentFailed';
  data: { paymentId: string; orderId: string; reason: string; failedAt: string };
}

/** `amount`: this capture; `captured`: the total captured so far, this one included. */
export interface PaymentCaptured {
  type: 'PaymentCaptured';
  data: { paymentId: string; orderId: string; amount: Money; captured: Money; capturedAt: string };
}

/** `amount`: this refund; `refunded`: the total refunded so far, this one included. */
export interface PaymentRefunded {
  type: 'PaymentRefunded';
  data: { paymentId: string; orderId: string; amount: Money; refunded: Money; reason: string; refundedAt: string };
}

export type PaymentEvent = PaymentRequested | PaymentAuthorized | PaymentFailed | PaymentCaptured | PaymentRefunded;

export const paymentEventTypes = eventTypes<PaymentEvent['type']>({
  PaymentRequested: true,
  PaymentAuthorized: true,
  PaymentFailed: true,
  PaymentCaptured: true,
  PaymentRefunded: true,
});

export const paymentStream = (paymentId: string): string => `payment-${paymentId}`;
