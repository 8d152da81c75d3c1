import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import type { TokenPair } from './session-tokens.js';
import type { Device } from './sign-in.service.js';

/** Sign in at an OpenID provider: where to send the browser (the request's checks are kept for its callback). */
export class StartOidcSignInCommand extends Command<{ url: string }> {
  constructor(
    readonly provider: string,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}

/** The provider's redirect back (`code`, `state`, ...): its user signs in here, with a new session. */
export class FinishOidcSignInCommand extends Command<TokenPair> {
  constructor(
    readonly provider: string,
    /** The callback's query string as the provider sent it. */
    readonly callback: URLSearchParams,
    readonly device: Device,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
