import { Module } from '@nestjs/common';
import { GetDashboardHandler } from './dashboard.query.js';
import { ReportSnapshotJob } from './report-snapshot.job.js';
import { GetReportSnapshotsHandler } from './report-snapshots.query.js';
import { GetDailyReportHandler, GetTopProductsHandler, GetUtilizationHandler } from './report.queries.js';

/** Reports and the dashboard: queries over the `reports` read model (and the orders one); the daily snapshots (kept, and read). */
@Module({
  providers: [
    GetDailyReportHandler,
    GetTopProductsHandler,
    GetUtilizationHandler,
    GetDashboardHandler,
    GetReportSnapshotsHandler,
    ReportSnapshotJob,
  ],
  exports: [ReportSnapshotJob],
})
export class ReportModule {}
