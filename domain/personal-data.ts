import { auditPersonalData } from './audit/audit.personal-data.js';
import { customerPersonalData } from './customer/customer.personal-data.js';
import { identityPersonalData } from './identity/identity.personal-data.js';
import { orderPersonalData } from './order/order.personal-data.js';
import { paymentPersonalData } from './payment/payment.personal-data.js';
import { productPersonalData } from './product/product.personal-data.js';
import type { RentlogEventType } from './events.js';
import { noPersonalData, type PersonalFields } from './shared/personal-data.js';

/**
 * The personal fields of every event type (see shared/personal-data.ts). Typed over every type of the
 * log, so a new event type without a declaration does not compile; tests/unit/domain/personal-data.test.ts
 * checks each declaration against the type's string fields.
 */
export const personalData: Record<RentlogEventType, PersonalFields<never>> = {
  ...productPersonalData,
  ...orderPersonalData,
  ...paymentPersonalData,
  ...customerPersonalData,
  ...identityPersonalData,
  ...auditPersonalData,
  UniqueValueClaimed: noPersonalData('scope', 'ownerId'),
  // A snapshot's state is an aggregate's (products, sessions, sign-ins), none of which holds personal data.
  Snapshotted: noPersonalData('revision', 'position'),
};
