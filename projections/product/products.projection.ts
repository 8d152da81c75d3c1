import type { ProductView } from '../../application/product/product.view.js';
import type { OrderConfirmed } from '../../domain/order/order.events.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { productEventTypes, type ProductEvent } from '../../domain/product/product.events.js';
import type { ProductState } from '../../domain/product/product.state.js';
import type { Projection } from '../runner/projection.js';

export type ProductDoc = ProductView;

/** The catalog facts of a document, as the product decider's state (bookings are the availability model's). */
const stateOf = (doc: ProductDoc | null): ProductState =>
  doc
    ? {
        status: doc.active ? 'active' : 'retired',
        productId: doc.productId,
        sku: doc.sku,
        name: doc.name,
        category: doc.category,
        dailyRate: doc.dailyRate,
        deposit: doc.deposit,
        stock: doc.stock,
        bufferDays: doc.bufferDays,
        bookings: {},
      }
    : productDecider.initialState();

/**
 * The catalog: each product's facts folded with the product decider's own `evolve`, its rentals
 * (one per confirmed order line), and the revision of its stream (every product event moves it: the
 * ETag that `If-Match` is checked against).
 */
export const productsProjection: Projection<ProductDoc, ProductEvent | OrderConfirmed> = {
  name: 'products',
  version: 2,
  collection: 'products',
  indexes: [
    { fields: { sku: 1 }, unique: true },
    { fields: { nameKey: 1 } },
    { fields: { category: 1, nameKey: 1 } },
    { fields: { active: 1, nameKey: 1 } },
    { fields: { 'dailyRate.amount': 1 } },
    { fields: { rentals: -1 } },
  ],
  handles: new Set<string>([...productEventTypes, 'OrderConfirmed']),
  keys: (event) =>
    event.type === 'OrderConfirmed' ? event.data.items.map((i) => i.productId) : [event.data.productId],
  apply(doc, event) {
    if (event.type === 'OrderConfirmed') return doc && { ...doc, rentals: doc.rentals + 1 };
    const state = productDecider.evolve(stateOf(doc), event);
    if (state.status === 'unregistered') return doc;
    const registeredAt = event.type === 'ProductRegistered' ? event.data.registeredAt : undefined;
    return {
      _id: state.productId,
      productId: state.productId,
      sku: state.sku,
      name: state.name,
      nameKey: state.name.toLowerCase(),
      category: state.category,
      dailyRate: state.dailyRate,
      deposit: state.deposit,
      stock: state.stock,
      bufferDays: state.bufferDays,
      active: state.status === 'active',
      rentals: doc?.rentals ?? 0,
      revision: String(event.revision),
      createdAt: doc?.createdAt ?? registeredAt ?? event.metadata.occurredAt,
      updatedAt: event.metadata.occurredAt,
    };
  },
};
