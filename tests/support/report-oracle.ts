/**
 * The report figures worked out again, straight from the events of the log, without the projection's
 * code: every order and product folded into plain facts, then each day counted by enumerating those
 * facts (no running sums), local days from `Intl` in another form than the projection's. Definitions
 * are the documented ones (docs/api.md, Reports).
 */
import type { RecordedEvent } from '../../application/ports/event-store.port.js';

/** `YYYY-MM-DD` of an instant in a time zone, through sv-SE's "YYYY-MM-DD HH:MM:SS" form. */
export const dayIn = (timestamp: string, timeZone: string): string =>
  new Date(timestamp).toLocaleString('sv-SE', { timeZone }).slice(0, 10);

const nextDay = (date: string): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
}

interface Line {
  productId: string;
  quantity: number;
  lineTotal: number;
}
interface OrderFacts {
  lines: Line[];
  start: string;
  end: string;
  booked: boolean;
  placed: string;
  cancelled?: string;
  pickedUp?: string;
  returned?: string;
}
interface ProductFacts {
  name: string;
  category: string;
  /** [local day from which, stock] in order. */
  stock: Array<[string, number]>;
}
interface Money {
  orderId: string;
  day: string;
  amount: number;
}

export interface OracleDay {
  date: string;
  revenue: number;
  ordersPlaced: number;
  ordersCancelled: number;
  pickups: number;
  returns: number;
  activeRentals: number;
  newCustomers: number;
  unitDaysBooked: number;
  unitDaysInStock: number;
  utilization: number;
}

export class ReportOracle {
  readonly orders = new Map<string, OrderFacts>();
  readonly products = new Map<string, ProductFacts>();
  readonly payments: Money[] = [];
  readonly customers: string[] = [];

  constructor(
    events: readonly RecordedEvent[],
    private readonly timeZone: string,
  ) {
    const day = (t: string) => dayIn(t, timeZone);
    for (const e of events) {
      const d = e.data as Record<string, never>;
      switch (e.type) {
        case 'ProductRegistered':
          this.products.set(d.productId, {
            name: d.name,
            category: d.category,
            stock: [[day(d.registeredAt), d.stock]],
          });
          break;
        case 'ProductStockAdjusted':
          this.products.get(d.productId)!.stock.push([day(d.adjustedAt), d.stock]);
          break;
        case 'ProductRetired':
          this.products.get(d.productId)!.stock.push([nextDay(day(d.retiredAt)), 0]);
          break;
        case 'OrderPlaced':
          this.orders.set(d.orderId, {
            lines: (d.items as Array<{ productId: string; quantity: number; lineTotal: { amount: number } }>).map(
              (i) => ({ productId: i.productId, quantity: i.quantity, lineTotal: i.lineTotal.amount }),
            ),
            start: d.rentalStart,
            end: d.rentalEnd,
            booked: false,
            placed: day(d.placedAt),
          });
          break;
        case 'OrderConfirmed':
          this.orders.get(d.orderId)!.booked = true;
          break;
        case 'OrderExtended':
          this.orders.get(d.orderId)!.end = d.rentalEnd;
          break;
        case 'OrderCancelled':
          Object.assign(this.orders.get(d.orderId)!, { booked: false, cancelled: day(d.cancelledAt) });
          break;
        case 'OrderPickedUp':
          this.orders.get(d.orderId)!.pickedUp = day(d.pickedUpAt);
          break;
        case 'OrderReturned':
          this.orders.get(d.orderId)!.returned = day(d.returnedAt);
          break;
        case 'PaymentCaptured':
          this.payments.push({
            orderId: d.orderId,
            day: day(d.capturedAt),
            amount: (d.amount as { amount: number }).amount,
          });
          break;
        case 'PaymentRefunded':
          this.payments.push({
            orderId: d.orderId,
            day: day(d.refundedAt),
            amount: -(d.amount as { amount: number }).amount,
          });
          break;
        case 'CustomerRegistered':
          this.customers.push(day(d.registeredAt));
          break;
      }
    }
  }

  /** The share of an order's payment that falls to these products: by line totals (the seed keeps it exact). */
  private share(orderId: string, amount: number, only?: (productId: string) => boolean): number {
    const lines = this.orders.get(orderId)?.lines ?? [];
    if (!only) return amount;
    const total = lines.reduce((a, l) => a + l.lineTotal, 0);
    const part = lines.filter((l) => only(l.productId)).reduce((a, l) => a + l.lineTotal, 0);
    const exact = (amount * part) / total;
    if (!Number.isInteger(exact)) throw new Error(`the seed should keep shares exact: ${amount} x ${part}/${total}`);
    return exact;
  }

  private stockOn(p: ProductFacts, date: string): number {
    let stock = 0;
    for (const [from, value] of p.stock) if (from <= date) stock = value;
    return stock;
  }

  days(from: string, to: string, category?: string): OracleDay[] {
    const inScope = (productId: string) =>
      category === undefined || this.products.get(productId)?.category === category;
    const touches = (o: OrderFacts) => o.lines.some((l) => inScope(l.productId));
    const orders = [...this.orders.entries()].filter(([, o]) => touches(o));
    return datesFrom(from, to).map((date) => {
      const booked = orders
        .filter(([, o]) => o.booked && o.start <= date && date <= o.end)
        .reduce((a, [, o]) => a + o.lines.filter((l) => inScope(l.productId)).reduce((b, l) => b + l.quantity, 0), 0);
      const stock = [...this.products.entries()]
        .filter(([id]) => inScope(id))
        .reduce((a, [, p]) => a + this.stockOn(p, date), 0);
      return {
        date,
        revenue: this.payments
          .filter((p) => p.day === date && this.orders.has(p.orderId) && touches(this.orders.get(p.orderId)!))
          .reduce((a, p) => a + this.share(p.orderId, p.amount, category === undefined ? undefined : inScope), 0),
        ordersPlaced: orders.filter(([, o]) => o.placed === date).length,
        ordersCancelled: orders.filter(([, o]) => o.cancelled === date).length,
        pickups: orders.filter(([, o]) => o.pickedUp === date).length,
        returns: orders.filter(([, o]) => o.returned === date).length,
        activeRentals: orders.filter(
          ([, o]) =>
            o.pickedUp !== undefined && o.pickedUp <= date && !(o.returned !== undefined && o.returned <= date),
        ).length,
        newCustomers: this.customers.filter((c) => c === date).length,
        unitDaysBooked: booked,
        unitDaysInStock: stock,
        utilization: stock > 0 ? Math.round((booked / stock) * 10_000) / 10_000 : 0,
      };
    });
  }

  /** Per product over the window: rentals (confirmed lines starting in it), revenue, unit-days. */
  productsOver(from: string, to: string) {
    const dates = datesFrom(from, to);
    return [...this.products.entries()].map(([productId, p]) => {
      const lines = [...this.orders.values()].flatMap((o) =>
        o.lines.filter((l) => l.productId === productId).map((l) => ({ o, l })),
      );
      const booked = dates.reduce(
        (a, date) =>
          a +
          lines.filter(({ o }) => o.booked && o.start <= date && date <= o.end).reduce((b, { l }) => b + l.quantity, 0),
        0,
      );
      const available = dates.reduce((a, date) => a + this.stockOn(p, date), 0);
      return {
        productId,
        name: p.name,
        rentals: lines.filter(({ o }) => o.booked && o.start >= from && o.start <= to).length,
        revenue: this.payments
          .filter(
            (m) =>
              m.day >= from && m.day <= to && this.orders.get(m.orderId)?.lines.some((l) => l.productId === productId),
          )
          .reduce((a, m) => a + this.share(m.orderId, m.amount, (id) => id === productId), 0),
        unitDaysBooked: booked,
        unitDaysAvailable: available,
        utilization: available > 0 ? Math.round((booked / available) * 10_000) / 10_000 : 0,
      };
    });
  }
}
