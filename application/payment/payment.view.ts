import type { PaymentPurpose } from '../../domain/payment/payment.events.js';
import type { PaymentStatus } from '../../domain/payment/payment.state.js';
import type { Money } from '../../domain/shared/money.js';

export interface PaymentHistoryEntry {
  /** The event type (`PaymentRequested`, `PaymentAuthorized`, ...). */
  type: string;
  at: string;
  amount?: Money;
  reason?: string;
}

/** The `payments` read model, as the query side sees it. */
export interface PaymentView {
  _id: string;
  [key: string]: unknown;
  paymentId: string;
  orderId: string;
  customerId: string;
  /** What was asked for. */
  amount: Money;
  purpose: PaymentPurpose;
  paymentMethod: string;
  /** The provider's reference, once it authorized; not shown to clients. */
  providerRef: string | null;
  status: PaymentStatus;
  authorized: Money;
  captured: Money;
  refunded: Money;
  history: PaymentHistoryEntry[];
  /** Stream revision of the last payment event: the ETag. */
  revision: string;
  createdAt: string;
  updatedAt: string;
}

export const PAYMENTS_READ_MODEL = 'payments';

/**
 * Whose payments a caller may see and make: staff and admins any (no scope), a customer only its
 * own orders' (`customerId` undefined when its token names no customer record: none).
 */
export type CustomerScope = { customerId: string | undefined } | undefined;

export const visibleTo = (scope: CustomerScope, customerId: string): boolean =>
  scope === undefined || scope.customerId === customerId;
