import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider } from '../../domain/identity/api-key.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { commandScope } from '../shared/command-scope.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RecordApiKeyUseCommand, useMinute } from './record-api-key-use.command.js';

/**
 * Appends ApiKeyUsed on the key's stream unless a use in that minute is recorded already (the decider
 * keeps the last minute; two api processes racing for one minute meet at the stream's revision, and
 * the retry decides nothing). Outside the request's command scope: the request's own command keeps
 * the event ids its Idempotency-Key derives, whether or not a use was recorded before it.
 */
@CommandHandler(RecordApiKeyUseCommand)
export class RecordApiKeyUseHandler implements ICommandHandler<RecordApiKeyUseCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  execute({ use, ctx }: RecordApiKeyUseCommand) {
    return commandScope.exit(async () => {
      const result = await this.path.handle(
        apiKeyDecider,
        use.apiKeyId,
        {
          type: 'RecordApiKeyUse',
          data: {
            minute: useMinute(use.at),
            ipAddress: use.ipAddress,
            userAgent: use.userAgent,
            now: this.deps.now(),
          },
        },
        ctx,
      );
      return { recorded: result.events.length > 0 };
    });
  }
}
