import type { CustomerEvent } from '../../../domain/customer/customer.events.js';
import type { OrderPlaced } from '../../../domain/order/order.events.js';
import { customersProjection, type CustomerDoc } from '../../../projections/customer/customers.projection.js';
import { recorded } from '../../support/fixtures.js';

const apply = (doc: CustomerDoc | null, event: CustomerEvent | OrderPlaced, position: bigint, revision = 0n) =>
  customersProjection.apply(doc, recorded(event, position, revision), 'c1');

const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: {
    customerId: 'c1',
    name: 'Ann Lee',
    email: 'ann@example.com',
    phone: null,
    address: 'Main St 1',
    userId: 'u1',
    registeredAt: '2026-01-01T00:00:00.000Z',
  },
};
const orderPlaced = (orderId: string) =>
  ({
    type: 'OrderPlaced',
    data: { orderId, customerId: 'c1', placedAt: '2026-01-02T00:00:00.000Z' },
  }) as unknown as OrderPlaced;

describe('customers projection', () => {
  const created = apply(null, registered, 1n)!;

  it('creates the document on CustomerRegistered', () => {
    expect(created).toMatchObject({
      _id: 'c1',
      customerId: 'c1',
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: null,
      address: 'Main St 1',
      userId: 'u1',
      orders: 0,
      revision: '0',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('counts orders without moving the ETag revision', () => {
    const one = apply(created, orderPlaced('o1'), 5n, 0n)!;
    const two = apply(one, orderPlaced('o2'), 9n, 3n)!;
    expect(two.orders).toBe(2);
    expect(two.revision).toBe('0');
  });

  it('ignores an order of a customer it never saw', () => {
    expect(apply(null, orderPlaced('o1'), 2n)).toBeNull();
  });

  it('handles the customer and order events and keys them by customer', () => {
    expect([...customersProjection.handles]).toEqual([
      'CustomerRegistered',
      'CustomerUpdated',
      'CustomerErased',
      'DocumentUploaded',
      'OrderPlaced',
    ]);
    expect(customersProjection.keys(recorded(orderPlaced('o1'), 3n))).toEqual(['c1']);
  });

  const erased: CustomerEvent = {
    type: 'CustomerErased',
    data: { customerId: 'c1', userId: 'u1', erasedAt: '2026-02-01T00:00:00.000Z' },
  };

  it('keeps nothing personal of an erased customer: its id, its order count and when it was erased', () => {
    const counted = apply(created, orderPlaced('o1'), 5n, 0n)!;
    const doc = apply(counted, erased, 7n, 1n)!;
    expect(doc).toEqual({
      _id: 'c1',
      customerId: 'c1',
      erased: true,
      erasedAt: '2026-02-01T00:00:00.000Z',
      orders: 1,
      ordersCountedTo: '5',
      revision: '1',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: expect.any(String),
    });
    expect(apply(doc, orderPlaced('o2'), 9n, 5n)).toMatchObject({ erased: true, orders: 2 });
    expect(apply(doc, registered, 11n, 0n)).toMatchObject({ erased: true }); // a replayed registration stays erased
  });

  it.each([
    ['CustomerErased', erased],
    ['CustomerRegistered', registered],
    ['OrderPlaced', orderPlaced('o1')],
  ])('applying %s again changes nothing', (_type, event) => {
    const once = apply(created, event, 5n, 0n);
    expect(apply(once, event, 5n, 0n)).toEqual(once);
  });
});
