import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { orderTotals } from '../../domain/order/order.money.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { OrderStatus } from '../../domain/order/order.state.js';
import { availabilityByDay, type DayAvailability } from '../../domain/product/availability.js';
import type { Booking } from '../../domain/product/booking.events.js';
import { assertDateWindow, dateOf } from '../../domain/shared/date-range.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { READ_STORE, type Doc, type Filter, type Page, type ReadStore } from '../ports/read-store.port.js';
import { AVAILABILITY_READ_MODEL, ORDERS_READ_MODEL, type OrderDoc } from './order.view.js';

/** An order as clients see it: totals and `overdue` are worked out at read time from the clock. */
export function presentOrder(doc: OrderDoc, now: Date) {
  const totals = orderTotals(doc);
  return {
    orderId: doc.orderId,
    customerId: doc.customerId,
    status: doc.status,
    overdue: doc.status === 'picked_up' && dateOf(now.toISOString()) > doc.rentalEnd,
    rentalStart: doc.rentalStart,
    rentalEnd: doc.rentalEnd,
    rentalDays: doc.rentalDays,
    items: doc.items.map(({ productId, sku, name, quantity, dailyRate, lineTotal }) => ({
      productId,
      sku,
      name,
      quantity,
      dailyRate,
      lineTotal,
    })),
    subtotal: doc.subtotal,
    deposit: doc.deposit,
    fees: totals.fees,
    feeDetails: {
      lateFee: doc.lateFee,
      damageCharges: doc.damageCharges,
      cancellationFee: doc.cancellationFee,
      damages: doc.damages,
    },
    total: totals.total,
    paid: totals.paid,
    balance: totals.balance,
    holdExpiresAt: doc.holdExpiresAt,
    fulfilment: doc.fulfilment,
    returnedOn: doc.returnedOn,
    payments: Object.values(doc.payments).map(
      ({ paymentId, purpose, status, amount, authorized, captured, refunded }) => ({
        paymentId,
        purpose,
        status,
        amount,
        authorized,
        captured,
        refunded,
      }),
    ),
    timeline: doc.timeline,
    placedAt: doc.placedAt,
    revision: doc.revision,
  };
}

export type OrderView = ReturnType<typeof presentOrder>;

export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly orderId: string,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

export interface OrderCriteria {
  customerId?: string;
  status?: OrderStatus;
  productId?: string;
  overdue?: boolean;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export class ListOrdersQuery extends Query<Page<OrderView>> {
  constructor(readonly criteria: OrderCriteria) {
    super();
  }
}

/** Units per day of `from`..`to` (both included, at most 366 days). */
export class GetAvailabilityQuery extends Query<{ productId: string; days: DayAvailability[] }> {
  constructor(
    readonly productId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}
  async execute({ orderId, ownerCustomerId }: GetOrderQuery) {
    const doc = await this.store.collection<OrderDoc>(ORDERS_READ_MODEL).findById(orderId);
    if (!doc || (ownerCustomerId !== undefined && doc.customerId !== ownerCustomerId))
      throw new DomainError(OrderErrors.notFound, `No order ${orderId}`);
    return presentOrder(doc, this.clock.now());
  }
}

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}
  async execute({ criteria: c }: ListOrdersQuery) {
    const now = this.clock.now();
    const today = dateOf(now.toISOString());
    const all: Filter[] = [];
    if (c.customerId) all.push({ customerId: c.customerId });
    if (c.status) all.push({ status: c.status });
    if (c.productId) all.push({ productIds: c.productId });
    if (c.overdue === true) all.push({ status: 'picked_up', rentalEnd: { $lt: today } });
    if (c.overdue === false) all.push({ $or: [{ status: { $ne: 'picked_up' } }, { rentalEnd: { $gte: today } }] });
    if (c.from) all.push({ rentalEnd: { $gte: c.from } });
    if (c.to) all.push({ rentalStart: { $lte: c.to } });
    const page = await this.store
      .collection<OrderDoc>(ORDERS_READ_MODEL)
      .findPage(all.length > 0 ? { $and: all } : {}, {
        sort: { placedAt: -1 },
        limit: c.limit ?? 20,
        cursor: c.cursor ?? null,
      });
    return { items: page.items.map((d) => presentOrder(d, now)), nextCursor: page.nextCursor };
  }
}

@QueryHandler(GetAvailabilityQuery)
export class GetAvailabilityHandler implements IQueryHandler<GetAvailabilityQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}
  async execute({ productId, from, to }: GetAvailabilityQuery) {
    assertDateWindow(from, to);
    const doc = await this.store
      .collection<Doc & { stock: number; bookings: Record<string, Booking> }>(AVAILABILITY_READ_MODEL)
      .findById(productId);
    if (!doc) throw new DomainError(ProductErrors.notFound, `No product ${productId}`);
    return {
      productId,
      days: availabilityByDay(doc.stock, Object.values(doc.bookings), from, to, this.clock.now().toISOString()),
    };
  }
}
