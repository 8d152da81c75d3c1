import { CommandBus } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { systemContext } from '../shared/command-context.js';
import type { Job } from '../shared/job.js';
import { TakeCheckpointCommand } from './take-checkpoint.command.js';

/**
 * A signed checkpoint of every hash chain, when the log moved since the last one, every
 * AUDIT_CHECKPOINT_INTERVAL_SECONDS (default 300; 0 turns it off: on demand only, POST
 * /v1/audit/checkpoints or `npm run audit -- checkpoint`). The worker runs every job once at its start;
 * this one skips that run and takes its first checkpoint one interval later, so a worker that just
 * started (or restarts in a loop) does not sign a checkpoint per start.
 */
@Injectable()
export class AuditCheckpointJob implements Job {
  readonly name = 'audit-checkpoint';
  readonly everyMs: number;
  private readonly enabled: boolean;
  private started = false;

  constructor(
    private readonly commands: CommandBus,
    @Inject(SETTINGS) settings: Settings,
  ) {
    const seconds = settings.audit?.checkpointEverySeconds ?? null;
    this.enabled = seconds !== null;
    this.everyMs = (seconds ?? 3600) * 1000;
  }

  run() {
    if (!this.enabled) return Promise.resolve({ skipped: 'AUDIT_CHECKPOINT_INTERVAL_SECONDS is 0' });
    if (!this.started) {
      this.started = true;
      return Promise.resolve({ skipped: 'the first checkpoint is one interval after the start' });
    }
    return this.commands.execute(new TakeCheckpointCommand(systemContext('audit-checkpoint')));
  }
}
