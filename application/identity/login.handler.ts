import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { TOKENS, type Tokens } from '../ports/tokens.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { LoginCommand } from './login.command.js';
import { Passwords } from './passwords.js';
import { asUser, mintRefreshToken, tokenPair } from './session-tokens.js';
import { UserDirectory } from './user-directory.js';

/** Email and password: a new session (its own stream) and its first refresh token, with an access token. */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    @Inject(TOKENS) private readonly tokens: Tokens,
  ) {}

  async execute({ input, ctx }: LoginCommand) {
    const user = await this.users.findByEmail(input.email);
    // An unknown email costs a password check too, so timing does not tell it from a wrong password.
    const ok = user
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyNobody(input.password);
    if (!user || !ok) {
      this.deps.logger.info('login refused', {
        reason: user ? 'wrong password' : 'unknown email',
        ...(user ? { userId: user.userId } : {}),
      });
      throw new DomainError(IdentityErrors.invalidCredentials, 'The email or password is not correct');
    }
    const now = this.deps.clock.now();
    const sessionId = this.deps.ids.uuid();
    const { token, issued } = mintRefreshToken(
      sessionId,
      this.deps.ids.uuid(),
      now,
      this.deps.settings.refreshTokenTtlSeconds,
    );
    await this.path.handle(
      sessionDecider,
      sessionId,
      { type: 'StartSession', data: { sessionId, userId: user.userId, token: issued, now: now.toISOString() } },
      asUser(ctx, user),
    );
    return tokenPair(this.tokens, user, token);
  }
}
