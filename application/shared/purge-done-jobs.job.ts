import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { JOB_STORE, type JobStore } from '../ports/job-store.port.js';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import type { Schedule } from './job.js';

const DAY_MS = 86_400_000;

/** Forgets jobs that finished (`done`) more than JOBS_KEEP_DONE_DAYS ago, schedule slots included; dead jobs stay. */
@Injectable()
export class PurgeDoneJobsJob implements Schedule {
  readonly name = 'purge-done-jobs';
  /** Daily at 03:30, the shop's time. */
  readonly cron = '30 3 * * *';
  readonly queue = 'maintenance' as const;

  constructor(
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async run() {
    const days = this.settings.jobsKeepDoneDays ?? 7;
    return { purged: await this.jobs.purgeDone(new Date(this.clock.now().getTime() - days * DAY_MS)) };
  }
}
