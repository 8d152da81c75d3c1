import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** End the signed-in user's session of this refresh token: it and every successor stop working. */
export class LogoutCommand extends Command<{ position: bigint | null }> {
  constructor(
    readonly refreshToken: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
