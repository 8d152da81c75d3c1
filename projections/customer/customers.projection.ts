import type { CustomerView } from '../../application/customer/customer.view.js';
import { customerDecider } from '../../domain/customer/customer.decider.js';
import { customerEventTypes, defaultPreferences, type CustomerEvent } from '../../domain/customer/customer.events.js';
import type { CustomerState } from '../../domain/customer/customer.state.js';
import type { OrderPlaced } from '../../domain/order/order.events.js';
import type { Projection } from '../runner/projection.js';

/** The read model, plus the position of the last order counted (so counting the same order twice changes nothing). */
export type CustomerDoc = CustomerView & { ordersCountedTo: string };

const stateOf = (doc: CustomerDoc | null): CustomerState => {
  if (!doc) return customerDecider.initialState();
  if (doc.erased) return { status: 'erased', customerId: doc.customerId, userId: null, erasedAt: doc.erasedAt! };
  return {
    status: 'registered',
    customerId: doc.customerId,
    name: doc.name,
    email: doc.email,
    phone: doc.phone,
    address: doc.address,
    userId: doc.userId,
    preferences: doc.preferences ?? defaultPreferences(),
  };
};

/**
 * Customers: the record folded with the customer decider's own `evolve`, and how many orders each
 * placed. An erased customer keeps its id, its order count and when it was erased, nothing else.
 * (Its personal fields are encrypted in the read store; see customer.view.ts.)
 */
export const customersProjection: Projection<CustomerDoc, CustomerEvent | OrderPlaced> = {
  name: 'customers',
  personalData: true,
  version: 4,
  collection: 'customers',
  indexes: [
    { fields: { emailKey: 1 } },
    { fields: { nameWords: 1 } },
    { fields: { createdAt: 1 } },
    { fields: { userId: 1 } },
  ],
  handles: new Set<string>([...customerEventTypes, 'OrderPlaced']),
  keys: (event) => [event.data.customerId],
  apply(doc, event) {
    if (event.type === 'OrderPlaced') {
      if (!doc || BigInt(doc.ordersCountedTo) >= event.position) return doc;
      return { ...doc, orders: doc.orders + 1, ordersCountedTo: String(event.position) };
    }
    const state = customerDecider.evolve(stateOf(doc), event);
    const kept = {
      orders: doc?.orders ?? 0,
      ordersCountedTo: doc?.ordersCountedTo ?? '0',
      // The ETag: only the customer's own events move it, never an order.
      revision: String(event.revision),
      createdAt:
        doc?.createdAt ?? (event.type === 'CustomerRegistered' ? event.data.registeredAt : event.metadata.occurredAt),
      updatedAt: event.metadata.occurredAt,
    };
    if (state.status === 'erased')
      return {
        _id: state.customerId,
        customerId: state.customerId,
        erased: true,
        erasedAt: state.erasedAt,
        ...kept,
      } as CustomerDoc;
    if (state.status !== 'registered') return doc;
    const { status: _s, ...facts } = state;
    return { _id: facts.customerId, ...facts, ...kept };
  },
};
