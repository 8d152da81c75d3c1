import type { OrderStatus } from '../../domain/order/order.state.js';
import { dateOf } from '../../domain/shared/date-range.js';
import type { Clock } from '../ports/clock.port.js';
import type { ReadStore } from '../ports/read-store.port.js';
import { ORDERS_READ_MODEL } from '../order/order.view.js';
import { REPORTS_READ_MODEL, TOTALS_KEY, type ReportTotalsDoc } from './report.view.js';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'reserved',
  'confirmed',
  'picked_up',
  'returned',
  'closed',
  'cancelled',
  'expired',
];

export interface CurrentFigures {
  ordersByStatus: Record<OrderStatus, number>;
  /** Orders picked up and not returned. */
  activeRentals: number;
  /** Of those, the ones past their end date (as `overdue` on an order says). */
  overdueRentals: number;
  /** Orders whose units are held, unconfirmed, and whose hold has not run out. */
  holdsActive: number;
  /** Minor units captured and refunded since the shop opened. */
  revenueCaptured: number;
  revenueRefunded: number;
  /** Customers registered since the shop opened. */
  registrations: number;
}

/** The shop's figures as they stand now, from the read models: what `/metrics` and the dashboard show. */
export async function currentFigures(store: ReadStore, clock: Clock): Promise<CurrentFigures> {
  const orders = store.collection(ORDERS_READ_MODEL);
  const now = clock.now().toISOString();
  const counts = await Promise.all(ORDER_STATUSES.map((status) => orders.count({ status })));
  const [overdueRentals, holdsActive, totals] = await Promise.all([
    orders.count({ status: 'picked_up', rentalEnd: { $lt: dateOf(now) } }),
    orders.count({ status: 'reserved', holdExpiresAt: { $gt: now } }),
    store.collection<ReportTotalsDoc>(REPORTS_READ_MODEL).findById(TOTALS_KEY),
  ]);
  const ordersByStatus = Object.fromEntries(ORDER_STATUSES.map((s, i) => [s, counts[i]])) as Record<
    OrderStatus,
    number
  >;
  return {
    ordersByStatus,
    activeRentals: ordersByStatus.picked_up,
    overdueRentals,
    holdsActive,
    revenueCaptured: totals?.captured ?? 0,
    revenueRefunded: totals?.refunded ?? 0,
    registrations: totals?.registrations ?? 0,
  };
}
