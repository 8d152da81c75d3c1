import { CommandBus } from '@nestjs/cqrs';
import { Inject, Injectable } from '@nestjs/common';
import { SETTINGS, type Settings } from '../ports/settings.port.js';
import { systemContext } from '../shared/command-context.js';
import type { Job } from '../shared/job.js';
import { TakeCheckpointCommand } from './take-checkpoint.command.js';

/** A signed checkpoint of every hash chain, when the log moved since the last one. */
@Injectable()
export class AuditCheckpointJob implements Job {
  readonly name = 'audit-checkpoint';
  readonly everyMs: number;

  constructor(
    private readonly commands: CommandBus,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.everyMs = (settings.audit?.checkpointEverySeconds ?? 300) * 1000;
  }

  run() {
    return this.commands.execute(new TakeCheckpointCommand(systemContext('audit-checkpoint')));
  }
}
