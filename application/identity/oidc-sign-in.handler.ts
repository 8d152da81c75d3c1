import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { OIDC, type Oidc } from '../ports/oidc.port.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ExternalIdentities } from './external-identities.js';
import { FinishOidcSignInCommand, StartOidcSignInCommand } from './oidc-sign-in.command.js';
import { OidcStates } from './oidc-states.js';
import { SignIn } from './sign-in.service.js';

const assertProvider = (oidc: Oidc, provider: string): void => {
  if (!oidc.has(provider))
    throw new DomainError(IdentityErrors.oidcProviderNotFound, `No sign-in provider ${provider} is configured`);
};

/** The authorization request (code flow, PKCE S256, state, nonce); its checks are kept only once the URL is made. */
@CommandHandler(StartOidcSignInCommand)
export class StartOidcSignInHandler implements ICommandHandler<StartOidcSignInCommand> {
  constructor(
    @Inject(OIDC) private readonly oidc: Oidc,
    private readonly states: OidcStates,
  ) {}

  async execute({ provider }: StartOidcSignInCommand) {
    assertProvider(this.oidc, provider);
    const checks = this.states.fresh();
    const url = await this.oidc.authorizationUrl(provider, checks);
    await this.states.keep(provider, checks);
    return { url };
  }
}

/**
 * The callback: its state taken (once), the code exchanged for verified claims, the user they belong
 * to found, linked or signed up (ExternalIdentities), and a session started for it like any sign-in.
 */
@CommandHandler(FinishOidcSignInCommand)
export class FinishOidcSignInHandler implements ICommandHandler<FinishOidcSignInCommand> {
  constructor(
    @Inject(OIDC) private readonly oidc: Oidc,
    private readonly deps: CoreDeps,
    private readonly states: OidcStates,
    private readonly identities: ExternalIdentities,
    private readonly signIn: SignIn,
  ) {}

  async execute({ provider, callback, device, ctx }: FinishOidcSignInCommand) {
    assertProvider(this.oidc, provider);
    const checks = await this.states.take(provider, callback.get('state'));
    const claims = await this.oidc.exchange(provider, callback, checks);
    const user = await this.identities.userFor(provider, claims, ctx);
    this.deps.logger.info('signed in with an external identity', { provider, userId: user.userId });
    return this.signIn.startSession(user, device, ctx);
  }
}
