import { addDays, assertDateWindow, assertIsoDate, eachDay } from '../../domain/shared/date-range.js';
import { localDay } from '../../domain/report/local-day.js';
import type { ReadCollection, ReadStore } from '../ports/read-store.port.js';
import {
  ALL_SCOPE,
  categoryScope,
  type DayCounters,
  type ReportDayDoc,
  type ReportDoc,
  type ReportProductDoc,
} from './report.view.js';

/** Unit-days booked over unit-days in stock, to four decimals; 0 with nothing in stock. */
export const utilizationOf = (booked: number, inStock: number): number =>
  inStock > 0 ? Math.round((booked / inStock) * 10_000) / 10_000 : 0;

export interface DayFigures {
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
  rentals: number;
}

export interface Window {
  from: string;
  to: string;
}

/** `from`..`to` (both included, at most 366 days); by default the 30 local days up to today. */
export function windowOf(query: { from?: string; to?: string }, today: string, days = 30): Window {
  if (query.from !== undefined) assertIsoDate(query.from, 'from');
  if (query.to !== undefined) assertIsoDate(query.to, 'to');
  const to = query.to ?? (query.from ? addDays(query.from, days - 1) : today);
  const from = query.from ?? addDays(to, -(days - 1));
  assertDateWindow(from, to);
  return { from, to };
}

/** Today in the shop's time zone. */
export const shopToday = (now: Date, timeZone: string): string => localDay(now.toISOString(), timeZone);

/**
 * Each day of the window in one scope: its counters (zeros on a day with nothing), and the running
 * sums from the scope's first day of rentals out, units booked and units in stock.
 */
export function daysOf(docs: readonly ReportDayDoc[], window: Window): DayFigures[] {
  const byDate = new Map(docs.map((d) => [d.date, d]));
  let active = 0;
  let booked = 0;
  let stock = 0;
  const add = (d: ReportDayDoc | undefined) => {
    active += d?.activeDelta ?? 0;
    booked += d?.bookedDelta ?? 0;
    stock += d?.stockDelta ?? 0;
  };
  for (const d of docs) if (d.date < window.from) add(d);
  return eachDay(window.from, window.to).map((date) => {
    const d = byDate.get(date);
    add(d);
    const n = (k: keyof DayCounters) => d?.[k] ?? 0;
    return {
      date,
      revenue: n('revenue'),
      ordersPlaced: n('ordersPlaced'),
      ordersCancelled: n('ordersCancelled'),
      pickups: n('pickups'),
      returns: n('returns'),
      activeRentals: active,
      newCustomers: n('newCustomers'),
      unitDaysBooked: booked,
      unitDaysInStock: stock,
      utilization: utilizationOf(booked, stock),
      rentals: n('rentals'),
    };
  });
}

/** Reads the `reports` read model (or a copy of it as it stood at a position). */
export class ReportReader {
  readonly docs: ReadCollection<ReportDoc>;

  constructor(store: ReadStore, collection: string) {
    this.docs = store.collection<ReportDoc>(collection);
  }

  /** The shop's days (or one category's), up to the window's end. */
  async days(window: Window, category?: string): Promise<DayFigures[]> {
    const scope = category === undefined ? ALL_SCOPE : categoryScope(category);
    const docs = (await this.docs.find(
      { kind: 'day', scope, date: { $lte: window.to } },
      { sort: { date: 1 } },
    )) as ReportDayDoc[];
    const days = daysOf(docs, window);
    if (category === undefined) return days;
    // Customers belong to no category: a category's days show the shop's new customers.
    const shop = (await this.docs.find({
      kind: 'day',
      scope: ALL_SCOPE,
      date: { $gte: window.from, $lte: window.to },
    })) as ReportDayDoc[];
    const customers = new Map(shop.map((d) => [d.date, d.newCustomers ?? 0]));
    return days.map((d) => ({ ...d, newCustomers: customers.get(d.date) ?? 0 }));
  }

  async products(category?: string): Promise<ReportProductDoc[]> {
    return (await this.docs.find(category === undefined ? { kind: 'product' } : { kind: 'product', category }, {
      sort: { name: 1 },
    })) as ReportProductDoc[];
  }

  /** Per product of the category (or the shop): its days of the window. */
  async productDays(
    window: Window,
    category?: string,
  ): Promise<Array<{ product: ReportProductDoc; days: DayFigures[] }>> {
    const products = await this.products(category);
    const docs = (await this.docs.find(
      { kind: 'day', level: 'product', date: { $lte: window.to } },
      { sort: { date: 1 } },
    )) as ReportDayDoc[];
    const byScope = new Map<string, ReportDayDoc[]>();
    for (const d of docs) {
      const list = byScope.get(d.scope) ?? [];
      list.push(d);
      byScope.set(d.scope, list);
    }
    return products.map((product) => ({
      product,
      days: daysOf(byScope.get(`p/${product.productId}`) ?? [], window),
    }));
  }
}

export interface ProductFigures {
  productId: string;
  name: string;
  category: string;
  stock: number;
  rentals: number;
  revenue: number;
  unitDaysBooked: number;
  unitDaysAvailable: number;
  utilization: number;
}

/** A product's figures over the window: rentals starting in it, revenue in it, unit-days booked and in stock. */
export function productFigures(product: ReportProductDoc, days: readonly DayFigures[]): ProductFigures {
  const sum = (k: keyof DayFigures) => days.reduce((a, d) => a + (d[k] as number), 0);
  const booked = sum('unitDaysBooked');
  const available = sum('unitDaysInStock');
  return {
    productId: product.productId,
    name: product.name,
    category: product.category,
    stock: product.stock,
    rentals: sum('rentals'),
    revenue: sum('revenue'),
    unitDaysBooked: booked,
    unitDaysAvailable: available,
    utilization: utilizationOf(booked, available),
  };
}
