import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { TOKENS, type Tokens } from '../ports/tokens.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { LoginCommand } from './login.command.js';
import { Passwords } from './passwords.js';
import { asUser, mintRefreshToken, tokenPair } from './session-tokens.js';
import { SignInGuard } from './sign-in-guard.js';
import { UserDirectory } from './user-directory.js';

/**
 * Email and password: a new session (its own stream, with the device) and its first refresh token, with
 * an access token for it. An unknown email, a wrong password and a disabled account get the same answer
 * and are counted alike by the sign-in guard, which refuses a locked email or a throttled address
 * before any password is hashed.
 */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    private readonly guard: SignInGuard,
    @Inject(TOKENS) private readonly tokens: Tokens,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ input, device, ctx }: LoginCommand) {
    await this.guard.assertOpen(input.email, device.ipAddress);
    const user = await this.users.findByEmail(input.email);
    // An unknown email costs a password check too, so timing does not tell it from a wrong password.
    const ok = user
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyNobody(input.password);
    if (!user || !ok || user.disabled) {
      this.deps.logger.info('login refused', {
        reason: !user ? 'unknown email' : !ok ? 'wrong password' : 'disabled',
        ...(user ? { userId: user.userId } : {}),
      });
      await this.guard.failed(input.email, user?.userId ?? null, device.ipAddress, ctx);
      throw new DomainError(IdentityErrors.invalidCredentials, 'The email or password is not correct');
    }
    await this.guard.clear(input.email, user.userId, 'signed_in', asUser(ctx, user));
    const { settings } = this.deps;
    const now = this.deps.clock.now();
    const sessionId = this.deps.ids.uuid();
    const { token, issued } = mintRefreshToken(sessionId, this.deps.ids.uuid(), now, settings.refreshTokenTtlSeconds);
    const started = await this.path.handle(
      sessionDecider,
      sessionId,
      {
        type: 'StartSession',
        data: {
          sessionId,
          userId: user.userId,
          tokenVersion: user.tokenVersion,
          token: issued,
          absoluteExpiresAt: new Date(now.getTime() + settings.sessionMaxAgeSeconds * 1000).toISOString(),
          ...device,
          now: now.toISOString(),
        },
      },
      asUser(ctx, user),
    );
    await accessApplied(this.projections, started.position, settings.readWaitTimeoutMs, this.deps.logger);
    return tokenPair(this.tokens, user, sessionId, token);
  }
}
