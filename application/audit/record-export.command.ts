import { Command } from '@nestjs/cqrs';
import type { AuditExported } from '../../domain/audit/export.events.js';
import type { CommandContext } from '../shared/command-context.js';

/** Records that a range of the log is being taken out (before the first line goes). */
export class RecordExportCommand extends Command<{ exportId: string; position: bigint }> {
  constructor(
    readonly criteria: AuditExported['data']['criteria'],
    readonly client: { ipAddress: string | null; userAgent: string | null },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
