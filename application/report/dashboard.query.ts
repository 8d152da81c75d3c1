import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dateOf, daysBetween } from '../../domain/shared/date-range.js';
import type { Money } from '../../domain/shared/money.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { JOBS_OVERVIEW, type JobCounts, type JobsOverview } from '../ports/jobs-overview.port.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { ORDERS_READ_MODEL, type OrderDoc } from '../order/order.view.js';
import { currentFigures } from './business-figures.js';
import { ReportReader, productFigures, shopToday, windowOf } from './report-figures.js';
import { REPORTS_READ_MODEL } from './report.view.js';

export interface Dashboard {
  asOf: string;
  timeZone: string;
  today: string;
  revenueToday: Money;
  revenueMonth: Money;
  activeRentals: number;
  overdueRentals: number;
  pickupsToday: number;
  returnsToday: number;
  holdsActive: number;
  /** The most events any read model is behind the log. */
  projectionLag: number;
  projections: Array<{ name: string; status: string; lag: { events: number; seconds: number }; parked: number }>;
  /** Events parked by projections and workflows (they could not be applied; an operator must look). */
  parkedEvents: number;
  jobs: JobCounts;
  last30Days: Array<{ date: string; revenue: Money; utilization: number }>;
  topProducts: Array<{ productId: string; name: string; rentals: number; revenue: Money; utilization: number }>;
  overdue: Array<{ orderId: string; customerId: string; rentalEnd: string; daysOverdue: number }>;
}

export class GetDashboardQuery extends Query<Dashboard> {}

/** Today's figures, the last 30 days, the top products, overdue rentals and the health of the read side. */
@QueryHandler(GetDashboardQuery)
export class GetDashboardHandler implements IQueryHandler<GetDashboardQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
    @Inject(JOBS_OVERVIEW) private readonly jobs: JobsOverview,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async execute(): Promise<Dashboard> {
    const now = this.clock.now();
    const { shopTimeZone: timeZone, currency } = this.settings;
    const money = (amount: number): Money => ({ amount, currency });
    const today = shopToday(now, timeZone);
    const window = windowOf({}, today);
    const reader = new ReportReader(this.store, REPORTS_READ_MODEL);
    const utcToday = dateOf(now.toISOString());
    const [days, month, products, figures, status, parked, jobs, overdue] = await Promise.all([
      reader.days(window),
      reader.days({ from: `${today.slice(0, 8)}01`, to: today }),
      reader.productDays(window),
      currentFigures(this.store, this.clock),
      this.projections.status(),
      this.projections.parkedEvents(),
      this.jobs.counts(),
      this.store
        .collection<OrderDoc>(ORDERS_READ_MODEL)
        .find({ status: 'picked_up', rentalEnd: { $lt: utcToday } }, { sort: { rentalEnd: 1 }, limit: 10 }),
    ]);
    const last = days[days.length - 1];
    const top = products
      .map(({ product, days: d }) => productFigures(product, d))
      .sort((a, b) => b.revenue - a.revenue || b.rentals - a.rentals || a.name.localeCompare(b.name))
      .slice(0, 5);
    return {
      asOf: now.toISOString(),
      timeZone,
      today,
      revenueToday: money(last.revenue),
      revenueMonth: money(month.reduce((a, d) => a + d.revenue, 0)),
      activeRentals: figures.activeRentals,
      overdueRentals: figures.overdueRentals,
      pickupsToday: last.pickups,
      returnsToday: last.returns,
      holdsActive: figures.holdsActive,
      projectionLag: Math.max(0, ...status.map((p) => p.lag.events)),
      projections: status.map((p) => ({
        name: p.name,
        status: p.status,
        lag: { events: p.lag.events, seconds: p.lag.seconds },
        parked: p.parked,
      })),
      parkedEvents: parked.total,
      jobs,
      last30Days: days.map((d) => ({ date: d.date, revenue: money(d.revenue), utilization: d.utilization })),
      topProducts: top.map((p) => ({
        productId: p.productId,
        name: p.name,
        rentals: p.rentals,
        revenue: money(p.revenue),
        utilization: p.utilization,
      })),
      overdue: overdue.map((o) => ({
        orderId: o.orderId,
        customerId: o.customerId,
        rentalEnd: o.rentalEnd,
        daysOverdue: daysBetween(o.rentalEnd, utcToday),
      })),
    };
  }
}
