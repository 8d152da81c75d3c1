import {
  ALL_SCOPE,
  COUNTERS,
  REPORTS_READ_MODEL,
  TOTALS_KEY,
  categoryScope,
  dayKey,
  orderKey,
  productKey,
  productScope,
  type DayCounters,
  type ReportDayDoc,
  type ReportDoc,
  type ReportLevel,
  type ReportOrderDoc,
  type ReportOrderLine,
  type ReportProductDoc,
  type ReportTotalsDoc,
} from '../../application/report/report.view.js';
import type { Recorded } from '../../application/ports/event-store.port.js';
import type { CustomerRegistered } from '../../domain/customer/customer.events.js';
import type { OrderEvent } from '../../domain/order/order.events.js';
import type { PaymentCaptured, PaymentRefunded } from '../../domain/payment/payment.events.js';
import type { ProductRegistered, ProductRetired, ProductStockAdjusted } from '../../domain/product/product.events.js';
import { localDay } from '../../domain/report/local-day.js';
import { splitByWeights } from '../../domain/report/revenue-split.js';
import { addDays } from '../../domain/shared/date-range.js';
import type { ContextLookup, Projection } from '../runner/projection.js';

type Input =
  | ProductRegistered
  | ProductStockAdjusted
  | ProductRetired
  | Exclude<OrderEvent, { type: 'OrderExpired' | 'OrderClosed' | 'OrderPaymentUpdated' | 'DamagePhotoAdded' }>
  | PaymentCaptured
  | PaymentRefunded
  | CustomerRegistered;

type Change = (doc: ReportDoc | null) => ReportDoc | null;

/** What one event changes: day counters to add per document, and whole documents to write. */
class Changes {
  readonly docs = new Map<string, Change>();
  private readonly days = new Map<
    string,
    { level: ReportLevel; scope: string; date: string; add: Partial<DayCounters> }
  >();

  set(id: string, change: Change): void {
    this.docs.set(id, change);
  }

  add(level: ReportLevel, scope: string, date: string, add: Partial<DayCounters>): void {
    const id = dayKey(scope, date);
    const entry = this.days.get(id) ?? { level, scope, date, add: {} };
    for (const [k, v] of Object.entries(add) as Array<[keyof DayCounters, number]>)
      entry.add[k] = (entry.add[k] ?? 0) + v;
    this.days.set(id, entry);
  }

  /** The same counters for the shop, each category and each product of these lines (each once). */
  addForLines(lines: readonly ReportOrderLine[], date: string, add: Partial<DayCounters>): void {
    this.add('all', ALL_SCOPE, date, add);
    for (const category of new Set(lines.map((l) => l.category)))
      this.add('category', categoryScope(category), date, add);
    for (const productId of new Set(lines.map((l) => l.productId)))
      this.add('product', productScope(productId), date, add);
  }

  /** One line's units in the shop, its category and its product. */
  addForLine(line: ReportOrderLine, date: string, add: Partial<DayCounters>): void {
    this.add('all', ALL_SCOPE, date, add);
    this.add('category', categoryScope(line.category), date, add);
    this.add('product', productScope(line.productId), date, add);
  }

  all(): Map<string, Change> {
    const out = new Map(this.docs);
    for (const [id, { level, scope, date, add }] of this.days) {
      out.set(id, (doc) => {
        const day = (doc as ReportDayDoc | null) ?? ({ _id: id, kind: 'day', level, scope, date } as ReportDayDoc);
        const next: ReportDayDoc = { ...day };
        for (const counter of COUNTERS) if (add[counter]) next[counter] = (day[counter] ?? 0) + add[counter];
        return next;
      });
    }
    return out;
  }
}

const UNCATEGORISED = '(none)';

/** The units an order line books from `from` to `to` (both included): +q on the first day, -q the day after the last. */
function book(changes: Changes, lines: readonly ReportOrderLine[], from: string, to: string, sign: 1 | -1): void {
  for (const line of lines) {
    changes.addForLine(line, from, { bookedDelta: sign * line.quantity });
    changes.addForLine(line, addDays(to, 1), { bookedDelta: -sign * line.quantity });
  }
}

/** A payment's amount for the shop, shared out over the order's products by line totals, and summed per category. */
function revenue(
  changes: Changes,
  order: ReportOrderDoc | null,
  date: string,
  amount: number,
  kind: 'captured' | 'refunded',
) {
  const signed = kind === 'captured' ? amount : -amount;
  changes.add('all', ALL_SCOPE, date, { revenue: signed, [kind]: amount });
  if (!order || order.lines.length === 0) return;
  const products = new Map<string, { category: string; weight: number }>();
  for (const line of order.lines) {
    const entry = products.get(line.productId) ?? { category: line.category, weight: 0 };
    entry.weight += line.lineTotal;
    products.set(line.productId, entry);
  }
  const ids = [...products.keys()];
  const shares = splitByWeights(
    amount,
    ids.map((id) => products.get(id)!.weight),
  );
  const byCategory = new Map<string, number>();
  ids.forEach((id, i) => {
    changes.add('product', productScope(id), date, {
      revenue: kind === 'captured' ? shares[i] : -shares[i],
      [kind]: shares[i],
    });
    const category = products.get(id)!.category;
    byCategory.set(category, (byCategory.get(category) ?? 0) + shares[i]);
  });
  for (const [category, share] of byCategory)
    changes.add('category', categoryScope(category), date, {
      revenue: kind === 'captured' ? share : -share,
      [kind]: share,
    });
}

function totals(changes: Changes, add: { captured?: number; refunded?: number; registrations?: number }): void {
  changes.set(TOTALS_KEY, (doc) => {
    const t = (doc as ReportTotalsDoc | null) ?? {
      _id: TOTALS_KEY,
      kind: 'totals',
      captured: 0,
      refunded: 0,
      registrations: 0,
    };
    return {
      ...t,
      captured: t.captured + (add.captured ?? 0),
      refunded: t.refunded + (add.refunded ?? 0),
      registrations: t.registrations + (add.registrations ?? 0),
    };
  });
}

function changesOf(event: Recorded<Input>, context: ContextLookup, timeZone: string): Changes {
  const changes = new Changes();
  const day = (timestamp: string) => localDay(timestamp, timeZone);
  const order = (id: string) => context(orderKey(id)) as ReportOrderDoc | null;
  const product = (id: string) => context(productKey(id)) as ReportProductDoc | null;
  const putOrder = (id: string, next: ReportOrderDoc) => changes.set(orderKey(id), () => next);
  switch (event.type) {
    case 'ProductRegistered': {
      const d = event.data;
      const doc: ReportProductDoc = {
        _id: productKey(d.productId),
        kind: 'product',
        productId: d.productId,
        name: d.name,
        category: d.category,
        stock: d.stock,
        active: true,
      };
      changes.set(doc._id, () => doc);
      changes.addForLine(
        { productId: d.productId, category: d.category, quantity: 0, lineTotal: 0 },
        day(d.registeredAt),
        {
          stockDelta: d.stock,
        },
      );
      return changes;
    }
    case 'ProductStockAdjusted':
    case 'ProductRetired': {
      const p = product(event.data.productId);
      if (!p) return changes;
      const line = { productId: p.productId, category: p.category, quantity: 0, lineTotal: 0 };
      if (event.type === 'ProductStockAdjusted') {
        if (p.active) changes.addForLine(line, day(event.data.adjustedAt), { stockDelta: event.data.stock - p.stock });
        changes.set(p._id, () => ({ ...p, stock: event.data.stock }));
      } else if (p.active) {
        // Retired: its units are out of stock from the next day on.
        changes.addForLine(line, addDays(day(event.data.retiredAt), 1), { stockDelta: -p.stock });
        changes.set(p._id, () => ({ ...p, active: false }));
      }
      return changes;
    }
    case 'OrderPlaced': {
      const d = event.data;
      const lines = d.items.map((i) => ({
        productId: i.productId,
        category: product(i.productId)?.category ?? UNCATEGORISED,
        quantity: i.quantity,
        lineTotal: i.lineTotal.amount,
      }));
      putOrder(d.orderId, {
        _id: orderKey(d.orderId),
        kind: 'order',
        orderId: d.orderId,
        lines,
        rentalStart: d.rentalStart,
        rentalEnd: d.rentalEnd,
        booked: false,
      });
      changes.addForLines(lines, day(d.placedAt), { ordersPlaced: 1 });
      return changes;
    }
    case 'PaymentCaptured':
      revenue(changes, order(event.data.orderId), day(event.data.capturedAt), event.data.amount.amount, 'captured');
      totals(changes, { captured: event.data.amount.amount });
      return changes;
    case 'PaymentRefunded':
      revenue(changes, order(event.data.orderId), day(event.data.refundedAt), event.data.amount.amount, 'refunded');
      totals(changes, { refunded: event.data.amount.amount });
      return changes;
    case 'CustomerRegistered':
      changes.add('all', ALL_SCOPE, day(event.data.registeredAt), { newCustomers: 1 });
      totals(changes, { registrations: 1 });
      return changes;
    default:
      return orderChanges(changes, event, order(event.data.orderId), day);
  }
}

function orderChanges(
  changes: Changes,
  event: Recorded<
    Extract<Input, { type: 'OrderConfirmed' | 'OrderExtended' | 'OrderCancelled' | 'OrderPickedUp' | 'OrderReturned' }>
  >,
  o: ReportOrderDoc | null,
  day: (timestamp: string) => string,
): Changes {
  if (!o) return changes;
  const put = (next: ReportOrderDoc) => changes.set(o._id, () => next);
  switch (event.type) {
    case 'OrderConfirmed':
      if (o.booked) return changes;
      book(changes, o.lines, o.rentalStart, o.rentalEnd, 1);
      for (const line of o.lines) changes.addForLine(line, o.rentalStart, { rentals: 1 });
      put({ ...o, booked: true });
      return changes;
    case 'OrderExtended': {
      const totalsOf = new Map(event.data.items.map((i) => [i.productId, i.lineTotal.amount]));
      const lines = o.lines.map((l) => ({ ...l, lineTotal: totalsOf.get(l.productId) ?? l.lineTotal }));
      if (o.booked && event.data.rentalEnd > o.rentalEnd)
        book(changes, lines, addDays(o.rentalEnd, 1), event.data.rentalEnd, 1);
      put({ ...o, lines, rentalEnd: event.data.rentalEnd });
      return changes;
    }
    case 'OrderCancelled':
      changes.addForLines(o.lines, day(event.data.cancelledAt), { ordersCancelled: 1 });
      if (o.booked) {
        book(changes, o.lines, o.rentalStart, o.rentalEnd, -1);
        for (const line of o.lines) changes.addForLine(line, o.rentalStart, { rentals: -1 });
        put({ ...o, booked: false });
      }
      return changes;
    case 'OrderPickedUp':
      changes.addForLines(o.lines, day(event.data.pickedUpAt), { pickups: 1, activeDelta: 1 });
      return changes;
    case 'OrderReturned':
      changes.addForLines(o.lines, day(event.data.returnedAt), { returns: 1, activeDelta: -1 });
      return changes;
  }
}

const nothing: ContextLookup = () => null;

const ORDER_CONTEXT = new Set(['OrderConfirmed', 'OrderExtended', 'OrderCancelled', 'OrderPickedUp', 'OrderReturned']);

/**
 * Reports as a projection: per local day of the shop (`SHOP_TIMEZONE`), for the shop, each category
 * and each product, the revenue (captured less refunded; an order's payments shared out over its
 * products by line totals), orders placed and cancelled, pickups, returns, new customers, rentals,
 * and the changes in rentals out, units booked and units in stock whose running sums the queries
 * take. Product and order documents of its own are the context it reads (a line's category, what
 * a payment is shared over); the time zone is its `variant`, so changing it rebuilds the model.
 */
export function reportsProjection(timeZone: string): Projection<ReportDoc, Input> {
  const cache = new WeakMap<object, { context: ContextLookup; changes: Map<string, Change> }>();
  const changes = (event: Recorded<Input>, context: ContextLookup) => {
    const hit = cache.get(event);
    if (hit && hit.context === context) return hit.changes;
    const computed = changesOf(event, context, timeZone).all();
    cache.set(event, { context, changes: computed });
    return computed;
  };
  return {
    name: REPORTS_READ_MODEL,
    version: 1,
    variant: timeZone,
    collection: REPORTS_READ_MODEL,
    indexes: [{ fields: { kind: 1 } }, { fields: { scope: 1, date: 1 } }, { fields: { level: 1, date: 1 } }],
    handles: new Set<string>([
      'ProductRegistered',
      'ProductStockAdjusted',
      'ProductRetired',
      'OrderPlaced',
      ...ORDER_CONTEXT,
      'PaymentCaptured',
      'PaymentRefunded',
      'CustomerRegistered',
    ]),
    context(event) {
      if (event.type === 'OrderPlaced') return event.data.items.map((i) => productKey(i.productId));
      if (event.type === 'ProductStockAdjusted' || event.type === 'ProductRetired')
        return [productKey(event.data.productId)];
      if (ORDER_CONTEXT.has(event.type) || event.type === 'PaymentCaptured' || event.type === 'PaymentRefunded')
        return [orderKey((event.data as { orderId: string }).orderId)];
      return [];
    },
    keys: (event, context = nothing) => [...changes(event, context).keys()],
    apply: (doc, event, id, context = nothing) => changes(event, context).get(id)?.(doc) ?? doc,
  };
}
