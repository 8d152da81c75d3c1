import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideUser } from '../../domain/identity/user.decide.js';
import { userStream } from '../../domain/identity/user.events.js';
import { decideAndAppend } from '../shared/event-sourcing.js';
import { IdentityDeps, asUser, userEvolver } from './identity-deps.js';
import { invalidCredentials } from './identity.errors.js';
import { LoginCommand } from './login.command.js';
import { Passwords } from './passwords.js';
import { mintRefreshToken, tokenPair } from './refresh-tokens.js';

@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly passwords: Passwords,
  ) {}

  async execute({ input, ctx }: LoginCommand) {
    const user = await this.deps.findUserByEmail(input.email);
    // An unknown email costs an argon2 check too, so timing does not tell it from a wrong password.
    const ok = user ? await this.passwords.verify(user.passwordHash, input.password) : await this.passwords.verifyNobody(input.password);
    if (!user || !ok) {
      this.deps.logger.info('login refused', { reason: user ? 'wrong password' : 'unknown email', ...(user ? { userId: user.userId } : {}) });
      throw invalidCredentials();
    }
    const now = this.deps.clock.now();
    const { token, ...issued } = mintRefreshToken(user.userId, this.deps.ids.uuid(), now, this.deps.settings.refreshTokenTtlSeconds);
    const familyId = this.deps.ids.uuid();
    await decideAndAppend(
      this.deps,
      userStream(user.userId),
      userEvolver,
      (state) => decideUser({ type: 'IssueRefreshToken', data: { ...issued, familyId, now: now.toISOString() } }, state),
      asUser(ctx, user),
    );
    return tokenPair(this.deps.tokens, user, token);
  }
}
