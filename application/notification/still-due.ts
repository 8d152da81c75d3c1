import { ORDERS_READ_MODEL, type OrderDoc } from '../order/order.view.js';
import type { ReadStore } from '../ports/read-store.port.js';
import type { NotificationDoc } from './notification.view.js';

/** What an order must still be for a reminder about it to make sense when it is sent. */
const expected: Partial<
  Record<NotificationDoc['template'], (order: OrderDoc, params: Record<string, unknown>) => boolean>
> = {
  'pickup-reminder': (o, p) => o.status === 'confirmed' && o.rentalStart === p.rentalStart,
  'return-reminder': (o, p) => o.status === 'picked_up' && o.rentalEnd === p.rentalEnd,
  'overdue-notice': (o, p) => o.status === 'picked_up' && o.rentalEnd === p.rentalEnd,
  'hold-expiring': (o) => o.status === 'reserved',
};

/** True, or why the notification is not due any more (the order moved on between the scan or the event and the send). */
export async function stillDue(store: ReadStore, doc: NotificationDoc): Promise<true | string> {
  const check = expected[doc.template];
  if (!check || !doc.orderId) return true;
  const order = await store.collection<OrderDoc>(ORDERS_READ_MODEL).findById(doc.orderId);
  if (!order) return 'order_unknown';
  return check(order, doc.params) ? true : `order_${order.status}`;
}
