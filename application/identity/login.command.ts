import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import type { TokenPair } from './session-tokens.js';
import type { Device } from './sign-in.service.js';

/** Email and password for an access token and a refresh token that starts a new session. */
export class LoginCommand extends Command<TokenPair> {
  constructor(
    readonly input: { email: string; password: string; otp?: string; recoveryCode?: string },
    readonly device: Device,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
