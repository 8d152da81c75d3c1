import type { PersonalDocFields } from '../privacy/personal-documents.js';
import type { OrderFacts } from '../../domain/order/order.state.js';
import type { Payment } from '../../domain/payment/payment.state.js';

/**
 * The `orders` read model, as the projection writes it: the order's facts as the order decider folds
 * them, and its payments as the payment decider folds them (from the payments' own events, so a
 * payment's position shows on the order's balance at once).
 */
export interface OrderDoc extends Omit<OrderFacts, 'payments'> {
  _id: string;
  [key: string]: unknown;
  productIds: string[];
  /** Each payment as the payment decider folds it, with the revision of its stream last applied. */
  payments: Record<string, Payment & { revision: string }>;
  timeline: Array<{ type: string; at: string; actor: string }>;
  /** Revision of the order's stream: the ETag. */
  revision: string;
  placedAt: string;
  updatedAt: string;
}

export const ORDERS_READ_MODEL = 'orders';
export const AVAILABILITY_READ_MODEL = 'availability';

/** The personal values of an order document (the delivery address, the words of a damage report), sealed in the read store. */
export const orderDocPersonalFields: PersonalDocFields = {
  subject: (doc) => (typeof doc.customerId === 'string' ? `customer:${doc.customerId}` : null),
  sealed: ['fulfilment.address', 'damages[].description'],
};
