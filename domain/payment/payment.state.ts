import { assertNever } from '../shared/domain-error.js';
import { money, type Money } from '../shared/money.js';
import type { PaymentEvent, PaymentPurpose } from './payment.events.js';

export type PaymentStatus = 'pending' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'failed';

export interface PaymentFacts {
  paymentId: string;
  orderId: string;
  customerId: string;
  /** What was asked for. */
  amount: Money;
  purpose: PaymentPurpose;
  paymentMethod: string;
  providerRef: string | null;
  authorized: Money;
  captured: Money;
  refunded: Money;
}

export type PaymentState = { status: 'none' } | ({ status: PaymentStatus } & PaymentFacts);

export type Payment = Extract<PaymentState, { paymentId: string }>;

export const initialPaymentState = (): PaymentState => ({ status: 'none' });

export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  if (event.type === 'PaymentRequested') {
    const { requestedAt: _at, ...facts } = event.data;
    const zero = money(0, facts.amount.currency);
    return { status: 'pending', ...facts, providerRef: null, authorized: zero, captured: zero, refunded: zero };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PaymentAuthorized':
      return { ...state, status: 'authorized', authorized: event.data.amount, providerRef: event.data.providerRef };
    case 'PaymentFailed':
      return { ...state, status: 'failed' };
    case 'PaymentCaptured':
      return { ...state, status: 'captured', captured: event.data.captured };
    case 'PaymentRefunded': {
      const refunded = event.data.refunded;
      return {
        ...state,
        status: refunded.amount >= state.captured.amount ? 'refunded' : 'partially_refunded',
        refunded,
      };
    }
    default:
      return assertNever(event, 'payment event');
  }
}
