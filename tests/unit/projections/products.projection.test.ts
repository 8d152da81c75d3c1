import type { OrderConfirmed } from '../../../domain/order/order.events.js';
import type { ProductEvent } from '../../../domain/product/product.events.js';
import { productsProjection } from '../../../projections/product/products.projection.js';
import type { ProductDoc } from '../../../projections/product/products.projection.js';
import { recorded, registered, repriced } from '../../support/fixtures.js';

const apply = (doc: ProductDoc | null, event: ProductEvent | OrderConfirmed, position: bigint, revision = 0n) =>
  productsProjection.apply(doc, recorded(event, position, revision), 'p1');

describe('products projection', () => {
  const created = apply(null, registered('p1', 'Tent XL'), 1n)!;

  it('creates the document on ProductRegistered', () => {
    expect(created).toMatchObject({
      _id: 'p1',
      productId: 'p1',
      name: 'Tent XL',
      nameKey: 'tent xl',
      active: true,
      rentals: 0,
      stock: 2,
      revision: '0',
    });
  });

  it('follows reprice, stock adjustment and retirement, keeping the stream revision', () => {
    const a = apply(created, repriced('p1', 1200), 2n, 1n)!;
    expect(a).toMatchObject({ dailyRate: { amount: 1200, currency: 'EUR' }, revision: '1' });
    const b = apply(
      a,
      { type: 'ProductStockAdjusted', data: { productId: 'p1', delta: 3, stock: 5, reason: 'buy', adjustedAt: 'x' } },
      3n,
      2n,
    )!;
    expect(b.stock).toBe(5);
    const c = apply(b, { type: 'ProductRetired', data: { productId: 'p1', retiredAt: 'x' } }, 4n, 3n)!;
    expect(c).toMatchObject({ active: false, revision: '3' });
  });

  it('ignores events for a product it never saw', () => {
    expect(apply(null, repriced('p1', 1200), 2n)).toBeNull();
  });

  it.each([
    ['ProductRegistered', registered('p1')],
    ['ProductRepriced', repriced('p1', 1500)],
    [
      'ProductStockAdjusted',
      { type: 'ProductStockAdjusted', data: { productId: 'p1', delta: 1, stock: 3, reason: 'r', adjustedAt: 'x' } },
    ],
    ['ProductRetired', { type: 'ProductRetired', data: { productId: 'p1', retiredAt: 'x' } }],
  ] as Array<[string, ProductEvent]>)('applying %s twice changes nothing', (_type, event) => {
    const once = apply(created, event, 5n, 1n);
    expect(apply(once, event, 5n, 1n)).toEqual(once);
  });
});
