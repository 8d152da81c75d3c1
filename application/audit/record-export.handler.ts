import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { exportDecider } from '../../domain/audit/export.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RecordExportCommand } from './record-export.command.js';

@CommandHandler(RecordExportCommand)
export class RecordExportHandler implements ICommandHandler<RecordExportCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ criteria, client, ctx }: RecordExportCommand) {
    const exportId = this.deps.ids.uuid();
    const defined = Object.fromEntries(Object.entries(criteria).filter(([, v]) => v !== undefined));
    const result = await this.path.handle(
      exportDecider,
      exportId,
      {
        type: 'RecordExport',
        data: { exportId, format: 'ndjson', criteria: defined, ...client, exportedAt: this.deps.now() },
      },
      ctx,
    );
    return { exportId, position: result.position! };
  }
}
