import { Module } from '@nestjs/common';
import { GetDashboardHandler } from './dashboard.query.js';
import { ReportSnapshotSchedule } from './report-snapshot.schedule.js';
import { GetDailyReportHandler, GetTopProductsHandler, GetUtilizationHandler } from './report.queries.js';

/** Reports and the dashboard: queries over the `reports` read model (and the orders one); the daily snapshot. */
@Module({
  providers: [
    GetDailyReportHandler,
    GetTopProductsHandler,
    GetUtilizationHandler,
    GetDashboardHandler,
    ReportSnapshotSchedule,
  ],
  exports: [ReportSnapshotSchedule],
})
export class ReportModule {}
