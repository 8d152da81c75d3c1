import { PaymentErrors } from '../../domain/payment/payment.errors.js';
import { requireExisting } from '../../domain/payment/payment.rules.js';
import type { Payment, PaymentState } from '../../domain/payment/payment.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';

/** The payment, or PAYMENT_NOT_FOUND. */
export const existingPayment = (state: PaymentState): Payment => requireExisting(state);

/** The command path's access check: a payment that does not exist is not found. */
export const mustExist = (state: PaymentState): void => {
  if (state.status === 'none') throw new DomainError(PaymentErrors.notFound, 'No such payment');
};
