import { eventTypes } from '../shared/decider.js';

export interface CustomerRegistered {
  type: 'CustomerRegistered';
  data: {
    customerId: string;
    name: string;
    /** Normalised: trimmed, lower-case. */
    email: string;
    phone: string | null;
    address: string | null;
    /** The user account that is this customer (self-registration), or null for a record staff keep. */
    userId: string | null;
    registeredAt: string;
  };
}

export type CustomerEvent = CustomerRegistered;

export const customerEventTypes = eventTypes<CustomerEvent['type']>({ CustomerRegistered: true });

export const customerStream = (customerId: string): string => `customer-${customerId}`;
