import { Injectable } from '@nestjs/common';
import { externalIdentityClaimDecider } from '../../domain/identity/external-identity.js';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import type { UserExternalIdentityLinked } from '../../domain/identity/user.events.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import type { RegisteredUser } from '../../domain/identity/user.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { ExternalClaims } from '../ports/oidc.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { Registration } from './registration.service.js';
import { asUser } from './session-tokens.js';
import { UserDirectory } from './user-directory.js';

type Via = UserExternalIdentityLinked['data']['via'];

/**
 * Which user an identity at an OpenID provider signs in as:
 * 1. the user it is linked to (its claim, keyed by a keyed hash of provider and subject);
 * 2. else the user whose email the provider says it verified (`email_verified: true`), linked now;
 * 3. else a new customer with that verified email and no password, linked now.
 * An email the provider has not verified links nobody and creates nobody (whoever controls an
 * account at a provider that does not verify emails could otherwise take over, or squat, the
 * address here). A disabled user is refused before anything is written. The claim is made before
 * the user's link event, and only for a registered user, so a crash between the two is mended by
 * the next sign-in (step 1 finds the claim and records the link).
 */
@Injectable()
export class ExternalIdentities {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly registration: Registration,
  ) {}

  async userFor(provider: string, claims: ExternalClaims, ctx: CommandContext): Promise<RegisteredUser> {
    try {
      return await this.resolve(provider, claims, ctx);
    } catch (error) {
      // A sign-up racing another one (or a registration) for the same email: the other won, link to it.
      if (!(error instanceof DomainError) || error.code !== IdentityErrors.emailTaken) throw error;
      return this.resolve(provider, claims, ctx);
    }
  }

  private async resolve(provider: string, claims: ExternalClaims, ctx: CommandContext): Promise<RegisteredUser> {
    const key = this.users.externalIdentityKey(provider, claims.subject);
    const owner = await this.users.findByExternalIdentity(key);
    if (owner) {
      const via: Via =
        owner.passwordHash === null && owner.externalIdentities.length === 0 ? 'sign_up' : 'verified_email';
      return this.link(owner, key, provider, claims.subject, via, ctx);
    }
    if (!claims.email || !claims.emailVerified) {
      this.deps.logger.info('OpenID sign-in refused: no verified email to link or sign up with', { provider });
      throw new DomainError(
        IdentityErrors.oidcEmailNotVerified,
        'The identity provider has not verified an email for this account, so it cannot be linked or signed up',
      );
    }
    const byEmail = await this.users.findByEmail(claims.email);
    if (byEmail) return this.link(byEmail, key, provider, claims.subject, 'verified_email', ctx);
    const { userId } = await this.registration.register(
      { email: claims.email, password: null, name: nameOf(claims), roles: ['customer'] },
      ctx,
    );
    this.deps.logger.info('customer signed up with an external identity', { provider, userId });
    const created = await this.users.findById(userId);
    return this.link(created!, key, provider, claims.subject, 'sign_up', ctx);
  }

  /** The identity claimed for the user, then recorded on the user's stream (each step idempotent). */
  private async link(
    user: RegisteredUser,
    key: string,
    provider: string,
    subject: string,
    via: Via,
    ctx: CommandContext,
  ): Promise<RegisteredUser> {
    if (user.disabled) {
      this.deps.logger.info('OpenID sign-in refused', { reason: 'disabled', provider, userId: user.userId });
      throw new DomainError(IdentityErrors.invalidCredentials, 'This account cannot sign in');
    }
    const as = asUser(ctx, user);
    await this.path.handle(
      externalIdentityClaimDecider,
      key,
      { type: 'ClaimUniqueValue', data: { ownerId: user.userId } },
      as,
    );
    const linked = await this.path.handle(
      userDecider,
      user.userId,
      { type: 'LinkExternalIdentity', data: { provider, subject, via, now: this.deps.now() } },
      as,
    );
    if (linked.events.length > 0)
      this.deps.logger.info('external identity linked', { provider, userId: user.userId, via });
    if (linked.state.status !== 'registered') throw new Error(`User ${user.userId} vanished while linking`);
    return linked.state;
  }
}

/** The name the provider gives, else the email's local part (a customer record needs a name). */
function nameOf(claims: ExternalClaims): string {
  const name = claims.name?.trim().slice(0, 200);
  return name || claims.email!.split('@')[0];
}
