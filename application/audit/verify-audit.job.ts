import { QueryBus } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import type { Job } from '../shared/job.js';
import { VerifyAuditQuery } from './verify-audit.query.js';

/** Verifies the whole log now and then; /health/ready shows the last result. */
@Injectable()
export class VerifyAuditJob implements Job {
  readonly name = 'audit-verify';
  readonly everyMs: number;

  constructor(
    private readonly queries: QueryBus,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.everyMs = (settings.audit?.verifyEverySeconds ?? 3600) * 1000;
  }

  async run() {
    const report = await this.queries.execute(new VerifyAuditQuery());
    return { ok: report.ok, checkedEvents: report.checkedEvents, firstBroken: report.firstBroken };
  }
}
