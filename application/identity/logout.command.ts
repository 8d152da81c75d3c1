import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';

/** Revoke the family of the signed-in user's refresh token: it and every successor stop working. */
export class LogoutCommand extends Command<{ position: bigint | null }> {
  constructor(
    readonly refreshToken: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
