import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import type { TokenPair } from './session-tokens.js';

/** Rotate: spend the refresh token, answer a new access token and the token's successor. */
export class RefreshCommand extends Command<TokenPair> {
  constructor(
    readonly refreshToken: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
