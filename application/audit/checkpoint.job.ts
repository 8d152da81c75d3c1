import { CommandBus } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { systemContext } from '../shared/command-context.js';
import { cronEvery } from '../shared/cron-every.js';
import type { Schedule } from '../shared/job.js';
import { TakeCheckpointCommand } from './take-checkpoint.command.js';

/**
 * A signed checkpoint of every hash chain, when the log moved since the last one, about every
 * AUDIT_CHECKPOINT_INTERVAL_SECONDS (default 300, the cron of `cronEvery`; 0 turns it off: on demand
 * only, POST /v1/audit/checkpoints or `npm run audit -- checkpoint`).
 */
@Injectable()
export class AuditCheckpointJob implements Schedule {
  readonly name = 'audit-checkpoint';
  readonly cron: string;
  readonly queue = 'maintenance' as const;
  readonly enabled: boolean;

  constructor(
    private readonly commands: CommandBus,
    @Inject(SETTINGS) settings: Settings,
  ) {
    const seconds = settings.audit?.checkpointEverySeconds ?? null;
    this.enabled = seconds !== null;
    this.cron = cronEvery(seconds ?? 3600);
  }

  run() {
    if (!this.enabled) return Promise.resolve({ skipped: 'AUDIT_CHECKPOINT_INTERVAL_SECONDS is 0' });
    return this.commands.execute(new TakeCheckpointCommand(systemContext('audit-checkpoint')));
  }
}
