import type { CustomerView } from '../../application/customer/customer.view.js';
import { customerDecider } from '../../domain/customer/customer.decider.js';
import { customerEventTypes, type CustomerEvent } from '../../domain/customer/customer.events.js';
import type { CustomerState } from '../../domain/customer/customer.state.js';
import type { OrderPlaced } from '../../domain/order/order.events.js';
import type { Projection } from '../runner/projection.js';

/** The read model, plus the position of the last order counted (so counting the same order twice changes nothing). */
export type CustomerDoc = CustomerView & { ordersCountedTo: string };

const stateOf = (doc: CustomerDoc | null): CustomerState =>
  doc
    ? {
        status: 'registered',
        customerId: doc.customerId,
        name: doc.name,
        email: doc.email,
        phone: doc.phone,
        address: doc.address,
        userId: doc.userId,
      }
    : customerDecider.initialState();

/** Customers: the record folded with the customer decider's own `evolve`, and how many orders each placed. */
export const customersProjection: Projection<CustomerDoc, CustomerEvent | OrderPlaced> = {
  name: 'customers',
  personalData: true,
  version: 2,
  collection: 'customers',
  indexes: [{ fields: { nameKey: 1 } }, { fields: { email: 1 } }, { fields: { userId: 1 } }],
  handles: new Set<string>([...customerEventTypes, 'OrderPlaced']),
  keys: (event) => [event.data.customerId],
  apply(doc, event) {
    if (event.type === 'OrderPlaced') {
      if (!doc || BigInt(doc.ordersCountedTo) >= event.position) return doc;
      return { ...doc, orders: doc.orders + 1, ordersCountedTo: String(event.position) };
    }
    const state = customerDecider.evolve(stateOf(doc), event);
    if (state.status !== 'registered') return doc;
    const { status: _s, ...facts } = state;
    return {
      _id: facts.customerId,
      ...facts,
      nameKey: facts.name.toLowerCase(),
      orders: doc?.orders ?? 0,
      ordersCountedTo: doc?.ordersCountedTo ?? '0',
      // The ETag: only the customer's own events move it, never an order.
      revision: String(event.revision),
      createdAt: doc?.createdAt ?? event.data.registeredAt,
      updatedAt: event.metadata.occurredAt,
    };
  },
};
