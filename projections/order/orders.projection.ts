import type { OrderDoc } from '../../application/order/order.view.js';
import type { OrderEvent } from '../../domain/order/order.events.js';
import type { Projection } from '../runner/projection.js';

const handled: Array<OrderEvent['type']> = [
  'OrderPlaced',
  'OrderConfirmed',
  'OrderExtended',
  'OrderCancelled',
  'OrderExpired',
  'OrderPickedUp',
  'OrderReturned',
  'OrderClosed',
  'OrderPaymentUpdated',
];

/** Orders for lists and detail: everything the order's events say, plus a timeline of who did what. */
export const ordersProjection: Projection<OrderDoc> = {
  name: 'orders',
  version: 1,
  collection: 'orders',
  indexes: [
    { fields: { customerId: 1, placedAt: -1 } },
    { fields: { status: 1, placedAt: -1 } },
    { fields: { productIds: 1 } },
    { fields: { status: 1, rentalEnd: 1 } },
    { fields: { status: 1, holdExpiresAt: 1 } },
    { fields: { placedAt: -1 } },
  ],
  handles: new Set<string>(handled),
  keys: (event) => [(event.data as { orderId: string }).orderId],
  apply(doc, recorded) {
    const event = { type: recorded.type, data: recorded.data } as OrderEvent;
    const at = recorded.metadata.occurredAt;
    const stamp = { revision: String(recorded.revision), updatedAt: at };
    const timeline = (d: OrderDoc) => [...d.timeline, { type: recorded.type, at, actor: recorded.metadata.actor.userId }];
    if (event.type === 'OrderPlaced') {
      const d = event.data;
      const zero = { amount: 0, currency: d.subtotal.currency };
      return {
        _id: d.orderId,
        orderId: d.orderId,
        customerId: d.customerId,
        status: 'reserved',
        rentalStart: d.rentalStart,
        rentalEnd: d.rentalEnd,
        rentalDays: d.rentalDays,
        items: d.items,
        productIds: d.items.map((l) => l.productId),
        subtotal: d.subtotal,
        deposit: d.deposit,
        lateFee: zero,
        damages: [],
        damageCharges: zero,
        cancellationFee: zero,
        holdExpiresAt: d.holdExpiresAt,
        fulfilment: d.fulfilment,
        returnedOn: null,
        payments: {},
        timeline: [{ type: recorded.type, at, actor: recorded.metadata.actor.userId }],
        placedAt: d.placedAt,
        ...stamp,
      };
    }
    if (!doc) return null;
    const base = { ...doc, ...stamp, timeline: event.type === 'OrderPaymentUpdated' ? doc.timeline : timeline(doc) };
    switch (event.type) {
      case 'OrderConfirmed':
        return { ...base, status: 'confirmed' };
      case 'OrderExtended':
        return { ...base, rentalEnd: event.data.rentalEnd, rentalDays: event.data.rentalDays, items: event.data.items, subtotal: event.data.subtotal };
      case 'OrderCancelled':
        return { ...base, status: 'cancelled', cancellationFee: event.data.cancellationFee };
      case 'OrderExpired':
        return { ...base, status: 'expired' };
      case 'OrderPickedUp':
        return { ...base, status: 'picked_up' };
      case 'OrderReturned':
        return { ...base, status: 'returned', returnedOn: event.data.returnedOn, lateFee: event.data.lateFee, damages: event.data.damages, damageCharges: event.data.damageCharges };
      case 'OrderClosed':
        return { ...base, status: 'closed' };
      case 'OrderPaymentUpdated': {
        const { paymentId, purpose, status, authorized, captured, refunded, sourceRevision } = event.data;
        return { ...base, payments: { ...doc.payments, [paymentId]: { paymentId, purpose, status, authorized, captured, refunded, sourceRevision } } };
      }
      default:
        return doc;
    }
  },
};
