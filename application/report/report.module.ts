import { Module } from '@nestjs/common';
import { GetDashboardHandler } from './dashboard.query.js';
import { GetDailyReportHandler, GetTopProductsHandler, GetUtilizationHandler } from './report.queries.js';

/** Reports and the dashboard: queries over the `reports` read model (and the orders one). */
@Module({ providers: [GetDailyReportHandler, GetTopProductsHandler, GetUtilizationHandler, GetDashboardHandler] })
export class ReportModule {}
