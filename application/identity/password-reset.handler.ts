import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomBytes } from 'node:crypto';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { passwordResetDecider } from '../../domain/identity/password-reset.decider.js';

import { userDecider } from '../../domain/identity/user.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { Notifications } from '../notification/notifications.service.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { ConfirmPasswordResetCommand, RequestPasswordResetCommand } from './password-reset.command.js';
import { PasswordPolicy } from './password-policy.service.js';
import { Passwords } from './passwords.js';
import { asUser } from './session-tokens.js';
import { SignInGuard } from './sign-in-guard.js';
import { UserDirectory } from './user-directory.js';

/**
 * Reset links (OWASP Forgot Password Cheat Sheet) are `<resetId>.<secret>`, 32 random bytes; the reset's
 * stream keeps the sha256 of the secret only. The link carries the token in its fragment, which
 * browsers do not send to servers, so no access log holds it.
 */
const TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;
const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const invalidToken = () =>
  new DomainError(IdentityErrors.passwordResetTokenInvalid, 'The reset link is not valid any more; ask for a new one');

@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordResetCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly notifications: Notifications,
  ) {}

  async execute({ email, ctx }: RequestPasswordResetCommand): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.disabled) {
      this.deps.logger.info('password reset asked for an email with no account that may sign in');
      return;
    }
    const { settings } = this.deps;
    const now = this.deps.clock.now();
    const resetId = this.deps.ids.uuid();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + settings.passwordReset.ttlSeconds * 1000).toISOString();
    await this.path.handle(
      passwordResetDecider,
      resetId,
      {
        type: 'RequestPasswordReset',
        data: { resetId, userId: user.userId, secretHash: hashSecret(secret), expiresAt, now: now.toISOString() },
      },
      ctx,
    );
    const minutes = Math.round(settings.passwordReset.ttlSeconds / 60);
    // The link is sealed under the user's key until its mail is sent (then dropped): never readable at rest.
    await this.notifications.queue({
      template: 'password-reset',
      cause: `passwordreset-${resetId}`,
      userId: user.userId,
      params: { minutes },
      secret: `${settings.passwordReset.url}#token=${resetId}.${secret}`,
    });
    this.deps.logger.info('password reset mailed', { userId: user.userId, resetId });
  }
}

@CommandHandler(ConfirmPasswordResetCommand)
export class ConfirmPasswordResetHandler implements ICommandHandler<ConfirmPasswordResetCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    private readonly policy: PasswordPolicy,
    private readonly guard: SignInGuard,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ token, newPassword, ctx }: ConfirmPasswordResetCommand) {
    const match = TOKEN.exec(token);
    if (!match) throw invalidToken();
    const [, resetId, secret] = match;
    const reset = await this.path.load(passwordResetDecider, resetId);
    const user = reset.state.status === 'requested' ? await this.users.findById(reset.state.userId) : null;
    if (!user || user.disabled) throw invalidToken();
    // The policy first: a password it refuses leaves the link usable for a better one.
    this.policy.assert(newPassword, { email: user.email, name: user.name }, 'newPassword');
    const passwordHash = await this.passwords.hash(newPassword);
    const asOwner = asUser(ctx, user);
    // Spent before the password changes, under the stream's revision: of two uses of one link, one wins.
    const completed = await this.path.handle(
      passwordResetDecider,
      resetId,
      {
        type: 'CompletePasswordReset',
        data: { secretHash: hashSecret(secret), passwordChangedAt: user.passwordChangedAt, now: this.deps.now() },
      },
      asOwner,
      { loaded: reset },
    );
    const changed = await this.path.handle(
      userDecider,
      user.userId,
      { type: 'ChangePassword', data: { passwordHash, via: 'reset', now: this.deps.now() } },
      asOwner,
    );
    const unlocked = await this.guard.clear(user.email, user.userId, 'password_reset', asOwner);
    await accessApplied(this.projections, changed.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    this.deps.logger.info('password reset used', { userId: user.userId, resetId });
    return { position: latest(completed.position, changed.position, unlocked) };
  }
}
