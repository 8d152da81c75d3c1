import type { CustomerView } from '../../application/customer/customer.view.js';
import type { CustomerEvent } from '../../domain/customer/customer.events.js';
import type { OrderPlaced } from '../../domain/order/order.events.js';
import type { Projection } from '../runner/projection.js';

/** The read model, plus the position of the last order counted (so counting the same order twice changes nothing). */
export type CustomerDoc = CustomerView & { ordersCountedTo: string };

const handled = ['CustomerRegistered', 'OrderPlaced'] as const;

export const customersProjection: Projection<CustomerDoc> = {
  name: 'customers',
  version: 1,
  collection: 'customers',
  indexes: [{ fields: { nameKey: 1 } }, { fields: { email: 1 } }, { fields: { userId: 1 } }],
  handles: new Set<string>(handled),
  keys: (event) => [(event.data as { customerId: string }).customerId],
  apply(doc, recorded) {
    const event = { type: recorded.type, data: recorded.data } as CustomerEvent | OrderPlaced;
    const at = recorded.metadata.occurredAt;
    switch (event.type) {
      case 'CustomerRegistered': {
        const d = event.data;
        return {
          _id: d.customerId,
          customerId: d.customerId,
          name: d.name,
          nameKey: d.name.toLowerCase(),
          email: d.email,
          phone: d.phone,
          address: d.address,
          userId: d.userId,
          orders: doc?.orders ?? 0,
          ordersCountedTo: doc?.ordersCountedTo ?? '0',
          // The ETag: only the customer's own events move it, never an order.
          revision: String(recorded.revision),
          createdAt: d.registeredAt,
          updatedAt: at,
        };
      }
      case 'OrderPlaced': {
        if (!doc || BigInt(doc.ordersCountedTo) >= recorded.position) return doc;
        return { ...doc, orders: doc.orders + 1, ordersCountedTo: String(recorded.position) };
      }
      default:
        return doc;
    }
  },
};
