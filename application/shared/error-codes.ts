import { AuditErrors } from '../../domain/audit/audit.errors.js';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { PaymentErrors } from '../../domain/payment/payment.errors.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { DateErrors, MoneyErrors } from '../../domain/shared/shared.errors.js';
import { ApplicationErrors } from './application.errors.js';

/**
 * Every code a DomainError (or one of its subclasses) can carry, by the module that declares it. The
 * API's error catalog must give each one a status and a title (the compiler checks it), and a test
 * checks that nothing is thrown with a code from anywhere else.
 */
export const errorCodeGroups = {
  ProductErrors,
  OrderErrors,
  PaymentErrors,
  CustomerErrors,
  IdentityErrors,
  AuditErrors,
  MoneyErrors,
  DateErrors,
  ApplicationErrors,
} as const;

type Groups = typeof errorCodeGroups;
export type ErrorCode = { [G in keyof Groups]: Groups[G][keyof Groups[G]] }[keyof Groups];
