import type { CustomerPreferences } from '../../domain/customer/customer.events.js';
import type { PersonalDocFields } from '../privacy/personal-documents.js';

/** The `customers` read model, as the query side sees it (the read store holds its personal fields encrypted). */
export interface CustomerView {
  _id: string;
  [key: string]: unknown;
  customerId: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  userId: string | null;
  /** Reminders on or off (transactional mail always goes), and the language of the customer's mail. */
  preferences: CustomerPreferences;
  /** Orders placed by this customer. */
  orders: number;
  /** Stream revision of the last customer event: the ETag (order events do not move it). */
  revision: string;
  createdAt: string;
  updatedAt: string;
  /** Set once the customer was erased: then no personal field is left (name, email, phone, address are gone). */
  erased?: true;
  erasedAt?: string;
}

export const CUSTOMERS_READ_MODEL = 'customers';

/**
 * What of a customer document is personal: encrypted in the read store under the customer's key,
 * opened at query time. Staff find customers through keyed hashes (a blind index): the whole email
 * (`emailKey`), and each word of the name (`nameWords`).
 */
export const customerDocPersonalFields: PersonalDocFields = {
  subject: (doc) => `customer:${doc._id}`,
  sealed: ['name', 'email', 'phone', 'address'],
  blind: [
    { into: 'emailKey', from: 'email', purpose: 'customer-email' },
    { into: 'nameWords', from: 'name', purpose: 'customer-name-word', words: true },
  ],
};
