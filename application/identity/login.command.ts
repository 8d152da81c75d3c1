import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import type { TokenPair } from './session-tokens.js';

/** Email and password for an access token and a refresh token that starts a new family. */
export class LoginCommand extends Command<TokenPair> {
  constructor(
    readonly input: { email: string; password: string },
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
