import type { AsOfArea, AsOfDocument, AsOfPoint, AsOfViews } from '../../application/ports/as-of.port.js';
import type { EventStore, RecordedEvent, Recorded } from '../../application/ports/event-store.port.js';
import type { Doc, ReadStore } from '../../application/ports/read-store.port.js';
import { customersProjection } from '../customer/customers.projection.js';
import { ordersProjection } from '../order/orders.projection.js';
import { paymentsProjection } from '../payment/payments.projection.js';
import { productsProjection } from '../product/products.projection.js';
import type { Projection } from './projection.js';

const projections: Record<AsOfArea, Projection> = {
  orders: ordersProjection as unknown as Projection,
  customers: customersProjection as unknown as Projection,
  products: productsProjection as unknown as Projection,
  payments: paymentsProjection as unknown as Projection,
};

/**
 * Folds a read model's projection over the streams its document is made of, up to a position or a
 * time: an order's stream and its payments' streams; a customer's or product's stream and the
 * streams of the orders that name it (found in the orders read model); a payment's stream.
 */
export class AsOfFolder implements AsOfViews {
  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
  ) {}

  async fold(area: AsOfArea, id: string, point: AsOfPoint): Promise<AsOfDocument> {
    const projection = projections[area];
    const within = (e: RecordedEvent) =>
      (point.position === undefined || e.position <= point.position) &&
      (point.at === undefined || e.metadata.occurredAt <= point.at);
    const streams = await this.streamsOf(area, id);
    const events = (await Promise.all(streams.map((s) => this.events.readStream(s))))
      .flat()
      .filter((e) => within(e) && projection.handles.has(e.type))
      .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    let doc: Doc | null = null;
    const applied: AsOfDocument['applied'] = [];
    for (const event of events) {
      const recorded = event as Recorded<{ type: string; data: unknown }>;
      if (!projection.keys(recorded).includes(id)) continue;
      doc = projection.apply(doc, recorded, id);
      applied.push({
        eventId: event.id,
        streamId: event.streamId,
        revision: Number(event.revision),
        position: String(event.position),
        type: event.type,
        occurredAt: event.metadata.occurredAt,
      });
    }
    return { doc, applied };
  }

  private async streamsOf(area: AsOfArea, id: string): Promise<string[]> {
    switch (area) {
      case 'payments':
        return [`payment-${id}`];
      case 'orders': {
        const own = await this.events.readStream(`order-${id}`);
        const payments = new Set(
          own.filter((e) => e.type === 'OrderPaymentUpdated').map((e) => (e.data as { paymentId: string }).paymentId),
        );
        return [`order-${id}`, ...[...payments].map((p) => `payment-${p}`)];
      }
      case 'customers':
      case 'products': {
        const filter = area === 'customers' ? { customerId: id } : { productIds: id };
        const orders = await this.store.collection('orders').find(filter);
        return [`${area === 'customers' ? 'customer' : 'product'}-${id}`, ...orders.map((o) => `order-${o._id}`)];
      }
    }
  }
}
