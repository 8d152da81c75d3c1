import type { OrderConfirmed } from '../../domain/order/order.events.js';
import type { ProductEvent } from '../../domain/product/product.events.js';
import type { ProductView } from '../../application/product/product.view.js';
import type { Projection } from '../runner/projection.js';

export type ProductDoc = ProductView;

const handled = ['ProductRegistered', 'ProductRepriced', 'ProductStockAdjusted', 'ProductRetired', 'OrderConfirmed'] as const;

export const productsProjection: Projection<ProductDoc> = {
  name: 'products',
  version: 1,
  collection: 'products',
  indexes: [
    { fields: { sku: 1 }, unique: true },
    { fields: { nameKey: 1 } },
    { fields: { category: 1, nameKey: 1 } },
    { fields: { active: 1, nameKey: 1 } },
    { fields: { 'dailyRate.amount': 1 } },
    { fields: { rentals: -1 } },
  ],
  handles: new Set<string>(handled),
  keys: (event) =>
    event.type === 'OrderConfirmed' ? (event.data as OrderConfirmed['data']).items.map((i) => i.productId) : [(event.data as { productId: string }).productId],
  apply(doc, recorded) {
    // Rental counts: one per confirmed order line. The ETag revision stays the product stream's.
    if (recorded.type === 'OrderConfirmed') return doc && { ...doc, rentals: doc.rentals + 1 };
    const event = { type: recorded.type, data: recorded.data } as ProductEvent;
    const at = recorded.metadata.occurredAt;
    const revision = String(recorded.revision);
    switch (event.type) {
      case 'ProductRegistered': {
        const d = event.data;
        return {
          _id: d.productId,
          productId: d.productId,
          sku: d.sku,
          name: d.name,
          nameKey: d.name.toLowerCase(),
          category: d.category,
          dailyRate: d.dailyRate,
          deposit: d.deposit,
          stock: d.stock,
          bufferDays: d.bufferDays,
          active: true,
          rentals: doc?.rentals ?? 0,
          revision,
          createdAt: d.registeredAt,
          updatedAt: at,
        };
      }
      case 'ProductRepriced':
        return doc && { ...doc, dailyRate: event.data.dailyRate, deposit: event.data.deposit, revision, updatedAt: at };
      case 'ProductStockAdjusted':
        return doc && { ...doc, stock: event.data.stock, revision, updatedAt: at };
      case 'ProductRetired':
        return doc && { ...doc, active: false, revision, updatedAt: at };
      default:
        return doc;
    }
  },
};

