import { QueryBus } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { cronEvery } from '../shared/cron-every.js';
import type { Schedule } from '../shared/job.js';
import { VerifyAuditQuery } from './verify-audit.query.js';

/** Verifies the whole log about every AUDIT_VERIFY_INTERVAL_SECONDS (hourly by default); /health/ready shows the last result. */
@Injectable()
export class VerifyAuditJob implements Schedule {
  readonly name = 'audit-verify';
  readonly cron: string;
  readonly queue = 'maintenance' as const;

  constructor(
    private readonly queries: QueryBus,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.cron = cronEvery(settings.audit?.verifyEverySeconds ?? 3600);
  }

  async run() {
    const report = await this.queries.execute(new VerifyAuditQuery());
    return { ok: report.ok, checkedEvents: report.checkedEvents, firstBroken: report.firstBroken };
  }
}
