import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GetDashboardQuery } from '../../../application/report/dashboard.query.js';
import {
  GetDailyReportQuery,
  GetTopProductsQuery,
  GetUtilizationQuery,
  type ReportCriteria,
} from '../../../application/report/report.queries.js';
import { GetReportSnapshotsQuery } from '../../../application/report/report-snapshots.query.js';
import { REPORTS_READ_MODEL } from '../../../application/report/report.view.js';
import { ORDERS_READ_MODEL } from '../../../application/order/order.view.js';
import { toCsv, wantsCsv } from './csv.js';
import {
  dailyReportSchema,
  dashboardSchema,
  reportSnapshotsSchema,
  topProductsSchema,
  utilizationSchema,
} from './reports.schemas.js';

const analysts = { access: ['analyst', 'admin'] as const, readModels: [REPORTS_READ_MODEL] };
/** The snapshots are kept by a schedule, not projected: no read model to wait for. */
const snapshotReaders = { access: ['analyst', 'admin'] as const };
const dashboardReaders = {
  access: ['staff', 'analyst', 'admin'] as const,
  readModels: [REPORTS_READ_MODEL, ORDERS_READ_MODEL],
};

/** Sends CSV instead of JSON when the client asked for it. */
function csv(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  columns: string[],
  rows: Array<Array<string | number | null>>,
) {
  if (!wantsCsv(request.headers.accept)) return null;
  reply.type('text/csv; charset=utf-8').header('content-disposition', `inline; filename="${name}.csv"`);
  return toCsv(columns, rows);
}

/** Reports for analysts (JSON or CSV), and the dashboard's figures for staff too. */
@Controller('v1')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('reports/daily')
  @RouteConfig(analysts)
  @RouteSchema(dailyReportSchema)
  async daily(
    @Query() query: ReportCriteria,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.queries.execute(new GetDailyReportQuery(query));
    const columns = [
      'date',
      'revenue',
      'currency',
      'ordersPlaced',
      'ordersCancelled',
      'pickups',
      'returns',
      'activeRentals',
      'newCustomers',
      'utilization',
      'unitDaysBooked',
      'unitDaysInStock',
    ];
    const rows = report.days.map((d) => [
      d.date,
      d.revenue.amount,
      d.revenue.currency,
      d.ordersPlaced,
      d.ordersCancelled,
      d.pickups,
      d.returns,
      d.activeRentals,
      d.newCustomers,
      d.utilization,
      d.unitDaysBooked,
      d.unitDaysInStock,
    ]);
    return csv(request, reply, `daily-${report.from}-${report.to}`, columns, rows) ?? report;
  }

  @Get('reports/snapshots')
  @RouteConfig(snapshotReaders)
  @RouteSchema(reportSnapshotsSchema)
  snapshots(@Query() query: { from?: string; to?: string }) {
    return this.queries.execute(new GetReportSnapshotsQuery(query));
  }

  @Get('reports/products/top')
  @RouteConfig(analysts)
  @RouteSchema(topProductsSchema)
  async top(
    @Query() query: ReportCriteria & { limit: number; by: 'rentals' | 'revenue' },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.queries.execute(new GetTopProductsQuery(query));
    const rows = report.items.map((p) => [
      p.productId,
      p.name,
      p.category,
      p.rentals,
      p.revenue.amount,
      p.revenue.currency,
      p.utilization,
    ]);
    return (
      csv(
        request,
        reply,
        `top-products-${report.from}-${report.to}`,
        ['productId', 'name', 'category', 'rentals', 'revenue', 'currency', 'utilization'],
        rows,
      ) ?? report
    );
  }

  @Get('reports/utilization')
  @RouteConfig(analysts)
  @RouteSchema(utilizationSchema)
  async utilization(
    @Query() query: ReportCriteria,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.queries.execute(new GetUtilizationQuery(query));
    const rows = report.items.map((p) => [
      p.productId,
      p.name,
      p.category,
      p.stock,
      p.unitDaysBooked,
      p.unitDaysAvailable,
      p.utilization,
    ]);
    return (
      csv(
        request,
        reply,
        `utilization-${report.from}-${report.to}`,
        ['productId', 'name', 'category', 'stock', 'unitDaysBooked', 'unitDaysAvailable', 'utilization'],
        rows,
      ) ?? report
    );
  }

  @Get('dashboard')
  @RouteConfig(dashboardReaders)
  @RouteSchema(dashboardSchema)
  dashboard() {
    return this.queries.execute(new GetDashboardQuery());
  }
}
