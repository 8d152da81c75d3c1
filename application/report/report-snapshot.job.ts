import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { addDays } from '../../domain/shared/date-range.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import type { Schedule } from '../shared/job.js';
import { shopToday } from './report-figures.js';
import { GetDailyReportQuery, type DailyRow } from './report.queries.js';

/** The daily report snapshots: one document a shop day, its id the day (`YYYY-MM-DD`). No personal data. */
export const REPORT_SNAPSHOTS = 'report_snapshots';

export type ReportSnapshotDoc = {
  _id: string;
  date: string;
  timeZone: string;
  /** The day's figures as the daily report answered them when the snapshot was taken. */
  figures: DailyRow;
  takenAt: string;
  /** The schedule slot (job id) that took it. */
  slot: string;
};

/**
 * Daily at 00:05 in `SHOP_TIMEZONE`: the figures of the shop day that just ended (the `reports` read
 * model, as GET /v1/reports/daily answers them) kept as a document of `report_snapshots` under that
 * day, so the day's figures as they stood at its close survive later corrections. Idempotent: a slot
 * run twice (retried, or by two workers) keeps the first snapshot of the day.
 */
@Injectable()
export class ReportSnapshotJob implements Schedule {
  readonly name = 'report-snapshot';
  readonly cron = '5 0 * * *';
  readonly queue = 'reports' as const;

  constructor(
    private readonly queries: QueryBus,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(slot: { id: string; at: Date }) {
    const date = addDays(shopToday(slot.at, this.settings.shopTimeZone), -1);
    await this.store.ensureCollection({ name: REPORT_SNAPSHOTS });
    const snapshots = this.store.collection<ReportSnapshotDoc>(REPORT_SNAPSHOTS);
    if (await snapshots.findById(date)) return { date, taken: false };
    const report = await this.queries.execute(new GetDailyReportQuery({ from: date, to: date }));
    const taken = await snapshots.insertIfAbsent({
      _id: date,
      date,
      timeZone: report.timeZone,
      figures: report.days[0],
      takenAt: this.clock.now().toISOString(),
      slot: slot.id,
    });
    return { date, taken };
  }
}
