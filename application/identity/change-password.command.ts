import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** The signed-in user's new password; the sessions other than the current one end. */
export class ChangePasswordCommand extends Command<{ position: bigint }> {
  constructor(
    readonly input: { currentPassword: string; newPassword: string },
    /** The session the change is made from: it stays. */
    readonly sessionId: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
