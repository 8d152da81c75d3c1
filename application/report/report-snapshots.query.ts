import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { shopToday, windowOf } from './report-figures.js';
import { REPORT_SNAPSHOTS, type ReportSnapshotDoc } from './report-snapshot.job.js';

export type ReportSnapshot = Omit<ReportSnapshotDoc, '_id'>;

/** The daily snapshots kept by the `report-snapshot` schedule, of the local days `from`..`to` (default: the last 30). */
export class GetReportSnapshotsQuery extends Query<{
  from: string;
  to: string;
  timeZone: string;
  days: ReportSnapshot[];
}> {
  constructor(readonly criteria: { from?: string; to?: string }) {
    super();
  }
}

/**
 * Reads `report_snapshots` (one document a closed shop day, taken shortly after its midnight): the
 * days of the window that have one, oldest first. A day with none (today, or a day whose slot has not
 * run yet) is absent, never made up from the live read model.
 */
@QueryHandler(GetReportSnapshotsQuery)
export class GetReportSnapshotsHandler implements IQueryHandler<GetReportSnapshotsQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async execute({ criteria }: GetReportSnapshotsQuery) {
    const window = windowOf(criteria, shopToday(this.clock.now(), this.settings.shopTimeZone));
    await this.store.ensureCollection({ name: REPORT_SNAPSHOTS });
    const docs = await this.store
      .collection<ReportSnapshotDoc>(REPORT_SNAPSHOTS)
      .find({ date: { $gte: window.from, $lte: window.to } }, { sort: { date: 1 } });
    return {
      ...window,
      timeZone: this.settings.shopTimeZone,
      days: docs.map(({ _id: _, ...snapshot }) => snapshot),
    };
  }
}
