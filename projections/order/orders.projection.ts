import type { OrderDoc } from '../../application/order/order.view.js';
import { orderDecider } from '../../domain/order/order.decider.js';
import { orderEventTypes, type OrderEvent } from '../../domain/order/order.events.js';
import type { OrderState } from '../../domain/order/order.state.js';
import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { paymentEventTypes, type PaymentEvent } from '../../domain/payment/payment.events.js';
import type { Payment } from '../../domain/payment/payment.state.js';
import type { Projection } from '../runner/projection.js';

type Input = OrderEvent | PaymentEvent;
const isPaymentEvent = new Set<string>(paymentEventTypes);

/**
 * Orders for lists and detail. The order's facts are folded with the order decider's `evolve`; its
 * payments with the payment decider's `evolve`, from the payments' own events: the order stream's
 * `OrderPaymentUpdated` is the write side's echo of them and only moves the ETag here. A timeline
 * says who did what.
 */
export const ordersProjection: Projection<OrderDoc, Input> = {
  name: 'orders',
  personalData: true,
  version: 2,
  collection: 'orders',
  indexes: [
    { fields: { customerId: 1, placedAt: -1 } },
    { fields: { status: 1, placedAt: -1 } },
    { fields: { productIds: 1 } },
    { fields: { status: 1, rentalEnd: 1 } },
    { fields: { status: 1, holdExpiresAt: 1 } },
    { fields: { placedAt: -1 } },
  ],
  handles: new Set<string>([...orderEventTypes, ...paymentEventTypes]),
  keys: (event) => [event.data.orderId],
  apply(doc, event) {
    const at = event.metadata.occurredAt;
    if (isPaymentEvent.has(event.type)) {
      if (!doc) return null;
      const e = event as Extract<typeof event, PaymentEvent>;
      const before = doc.payments[e.data.paymentId];
      if (before && BigInt(before.revision) >= event.revision) return doc; // applied already
      const { revision: _r, ...payment } = before ?? { ...paymentDecider.initialState(), revision: '-1' };
      const after = paymentDecider.evolve(payment as Payment, e);
      return after.status === 'none'
        ? doc
        : {
            ...doc,
            payments: { ...doc.payments, [e.data.paymentId]: { ...after, revision: String(event.revision) } },
            updatedAt: at,
          };
    }
    const e = event as Extract<typeof event, OrderEvent>;
    if (doc && BigInt(doc.revision) >= event.revision) return doc; // applied already
    const stamp = { revision: String(event.revision), updatedAt: at };
    if (e.type === 'OrderPaymentUpdated') return doc && { ...doc, ...stamp };
    const {
      _id,
      productIds: _p,
      payments,
      timeline,
      revision: _r,
      placedAt: _a,
      updatedAt: _u,
      ...facts
    } = doc ?? ({} as Partial<OrderDoc>);
    const state = orderDecider.evolve(
      doc ? ({ ...facts, payments: {} } as OrderState) : orderDecider.initialState(),
      e,
    );
    if (state.status === 'none') return doc;
    const { payments: _none, ...order } = state;
    return {
      ...order,
      _id: order.orderId,
      productIds: order.items.map((l) => l.productId),
      payments: payments ?? {},
      timeline: [...(timeline ?? []), { type: event.type, at, actor: event.metadata.actor.userId }],
      placedAt: doc?.placedAt ?? (e.type === 'OrderPlaced' ? e.data.placedAt : at),
      ...stamp,
    };
  },
};
