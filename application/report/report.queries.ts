import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Money } from '../../domain/shared/money.js';
import { ApplicationErrors } from '../shared/application.errors.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { ReportReader, productFigures, shopToday, windowOf, type Window } from './report-figures.js';
import { REPORTS_READ_MODEL } from './report.view.js';

export interface ReportCriteria {
  from?: string;
  to?: string;
  category?: string;
  /** Read the reports as they stood at this position (a point-in-time read model built beforehand). */
  atPosition?: string;
}

export interface DailyRow {
  date: string;
  revenue: Money;
  ordersPlaced: number;
  ordersCancelled: number;
  pickups: number;
  returns: number;
  activeRentals: number;
  newCustomers: number;
  utilization: number;
  unitDaysBooked: number;
  unitDaysInStock: number;
}

export interface ReportMeta {
  from: string;
  to: string;
  timeZone: string;
  category: string | null;
  /** The read model read: `reports`, or `reports@<position>`. */
  readModel: string;
}

export class GetDailyReportQuery extends Query<ReportMeta & { days: DailyRow[] }> {
  constructor(readonly criteria: ReportCriteria) {
    super();
  }
}

export interface ProductRow {
  productId: string;
  name: string;
  category: string;
  rentals: number;
  revenue: Money;
  utilization: number;
}

export class GetTopProductsQuery extends Query<ReportMeta & { by: 'rentals' | 'revenue'; items: ProductRow[] }> {
  constructor(readonly criteria: ReportCriteria & { limit: number; by: 'rentals' | 'revenue' }) {
    super();
  }
}

export interface UtilizationRow {
  productId: string;
  name: string;
  category: string;
  stock: number;
  unitDaysBooked: number;
  unitDaysAvailable: number;
  utilization: number;
}

export class GetUtilizationQuery extends Query<ReportMeta & { items: UtilizationRow[] }> {
  constructor(readonly criteria: ReportCriteria) {
    super();
  }
}

/** The reports read model to read: the live one, or a point-in-time one that is ready. */
export async function reportsReader(
  store: ReadStore,
  projections: Projections,
  atPosition?: string,
): Promise<{ reader: ReportReader; readModel: string }> {
  if (atPosition === undefined)
    return { reader: new ReportReader(store, REPORTS_READ_MODEL), readModel: REPORTS_READ_MODEL };
  const name = `${REPORTS_READ_MODEL}@${atPosition}`;
  const found = await projections.locate(name);
  if (!found || found.state === 'failed')
    throw new DomainError(
      ApplicationErrors.projectionNotFound,
      found
        ? `${name} failed to build; ask for it again`
        : `No read model ${name}: build it with POST /v1/projections/${REPORTS_READ_MODEL}/rebuild {"atPosition":"${atPosition}"}`,
    );
  if (found.state !== 'ready' && found.state !== 'live')
    throw new DomainError(ApplicationErrors.readModelNotReady, `${name} is ${found.state}; try again shortly`);
  return { reader: new ReportReader(store, found.collection), readModel: name };
}

abstract class ReportHandler {
  constructor(
    @Inject(READ_STORE) protected readonly store: ReadStore,
    @Inject(PROJECTIONS) protected readonly projections: Projections,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(SETTINGS) protected readonly settings: Settings,
  ) {}

  protected async open(c: ReportCriteria): Promise<{ reader: ReportReader; window: Window; meta: ReportMeta }> {
    const window = windowOf(c, shopToday(this.clock.now(), this.settings.shopTimeZone));
    const { reader, readModel } = await reportsReader(this.store, this.projections, c.atPosition);
    return {
      reader,
      window,
      meta: { ...window, timeZone: this.settings.shopTimeZone, category: c.category ?? null, readModel },
    };
  }

  protected money(amount: number): Money {
    return { amount, currency: this.settings.currency };
  }
}

@QueryHandler(GetDailyReportQuery)
export class GetDailyReportHandler extends ReportHandler implements IQueryHandler<GetDailyReportQuery> {
  async execute({ criteria }: GetDailyReportQuery) {
    const { reader, window, meta } = await this.open(criteria);
    const days = await reader.days(window, criteria.category);
    return {
      ...meta,
      days: days.map((d) => ({
        date: d.date,
        revenue: this.money(d.revenue),
        ordersPlaced: d.ordersPlaced,
        ordersCancelled: d.ordersCancelled,
        pickups: d.pickups,
        returns: d.returns,
        activeRentals: d.activeRentals,
        newCustomers: d.newCustomers,
        utilization: d.utilization,
        unitDaysBooked: d.unitDaysBooked,
        unitDaysInStock: d.unitDaysInStock,
      })),
    };
  }
}

@QueryHandler(GetTopProductsQuery)
export class GetTopProductsHandler extends ReportHandler implements IQueryHandler<GetTopProductsQuery> {
  async execute({ criteria }: GetTopProductsQuery) {
    const { reader, window, meta } = await this.open(criteria);
    const figures = (await reader.productDays(window, criteria.category)).map(({ product, days }) =>
      productFigures(product, days),
    );
    const key = criteria.by;
    figures.sort(
      (a, b) =>
        b[key] - a[key] ||
        (key === 'rentals' ? b.revenue - a.revenue : b.rentals - a.rentals) ||
        a.name.localeCompare(b.name),
    );
    return {
      ...meta,
      by: key,
      items: figures.slice(0, criteria.limit).map((f) => ({
        productId: f.productId,
        name: f.name,
        category: f.category,
        rentals: f.rentals,
        revenue: this.money(f.revenue),
        utilization: f.utilization,
      })),
    };
  }
}

@QueryHandler(GetUtilizationQuery)
export class GetUtilizationHandler extends ReportHandler implements IQueryHandler<GetUtilizationQuery> {
  async execute({ criteria }: GetUtilizationQuery) {
    const { reader, window, meta } = await this.open(criteria);
    const figures = (await reader.productDays(window, criteria.category)).map(({ product, days }) =>
      productFigures(product, days),
    );
    figures.sort((a, b) => b.utilization - a.utilization || a.name.localeCompare(b.name));
    return {
      ...meta,
      items: figures.map((f) => ({
        productId: f.productId,
        name: f.name,
        category: f.category,
        stock: f.stock,
        unitDaysBooked: f.unitDaysBooked,
        unitDaysAvailable: f.unitDaysAvailable,
        utilization: f.utilization,
      })),
    };
  }
}
