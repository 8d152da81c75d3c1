import { CUSTOMERS_READ_MODEL, customerDocPersonalFields } from '../customer/customer.view.js';
import { UPLOADS_READ_MODEL, uploadsDocPersonalFields } from '../customer/uploads.view.js';
import { ACCESS_READ_MODEL, accessDocPersonalFields } from '../identity/access.view.js';
import { ORDERS_READ_MODEL, orderDocPersonalFields } from '../order/order.view.js';
import { NOTIFICATIONS_READ_MODEL, notificationDocPersonalFields } from '../notification/notification.view.js';
import type { PersonalDocFields } from './personal-documents.js';

/** The read models that hold personal data, and which of their fields (sealed by the read store). */
export const personalReadModels: Readonly<Record<string, PersonalDocFields>> = {
  [CUSTOMERS_READ_MODEL]: customerDocPersonalFields,
  [ORDERS_READ_MODEL]: orderDocPersonalFields,
  [ACCESS_READ_MODEL]: accessDocPersonalFields,
  [NOTIFICATIONS_READ_MODEL]: notificationDocPersonalFields,
  [UPLOADS_READ_MODEL]: uploadsDocPersonalFields,
};
