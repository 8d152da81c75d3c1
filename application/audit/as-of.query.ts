import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { PaymentErrors } from '../../domain/payment/payment.errors.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { presentOrder } from '../order/order.queries.js';
import type { OrderDoc } from '../order/order.view.js';
import { AS_OF, type AppliedEvent, type AsOfArea, type AsOfPoint, type AsOfViews } from '../ports/as-of.port.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';

export interface AsOfView {
  [field: string]: unknown;
  asOf: { position: string | null; at: string | null; applied: AppliedEvent[] };
}

/** An order, customer, product or payment as it stood at a position or a time, for auditors. */
export class AsOfQuery extends Query<AsOfView> {
  constructor(
    readonly area: AsOfArea,
    readonly id: string,
    readonly point: AsOfPoint,
  ) {
    super();
  }
}

const notFound = {
  orders: OrderErrors.notFound,
  customers: CustomerErrors.notFound,
  products: ProductErrors.notFound,
  payments: PaymentErrors.notFound,
} as const;

@QueryHandler(AsOfQuery)
export class AsOfHandler implements IQueryHandler<AsOfQuery> {
  constructor(
    @Inject(AS_OF) private readonly views: AsOfViews,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ area, id, point }: AsOfQuery): Promise<AsOfView> {
    // A position the log never gave out is a 400, as everywhere (POSITION_INVALID).
    if (point.position !== undefined) await this.events.readAll({ after: point.position, maxCount: 1 });
    const { doc, applied } = await this.views.fold(area, id, point);
    if (!doc) throw new DomainError(notFound[area], `No ${area.slice(0, -1)} ${id} then`);
    const { _id, _position, ...fields } = doc as Record<string, unknown>;
    const then = point.at
      ? new Date(point.at)
      : new Date(Math.min(Date.parse(applied.at(-1)!.occurredAt), this.clock.now().getTime()));
    const view = area === 'orders' ? presentOrder(doc as unknown as OrderDoc, then) : fields;
    return {
      ...view,
      asOf: { position: point.position === undefined ? null : String(point.position), at: point.at ?? null, applied },
    };
  }
}
