import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CoreDeps } from '../shared/core-deps.js';
import { LoginCommand } from './login.command.js';
import { Mfa } from './mfa.js';
import { Passwords } from './passwords.js';
import { asUser } from './session-tokens.js';
import { SignIn } from './sign-in.service.js';
import { SignInGuard } from './sign-in-guard.js';
import { UserDirectory } from './user-directory.js';

/**
 * Email and password: once they check out, a new session (SignIn). An unknown email, a wrong password
 * and a disabled account get the same answer and are counted alike by the sign-in guard, which refuses
 * a locked email or a throttled address before any password is hashed. A user with MFA on also gives
 * a one-time code (or a recovery code); a wrong one counts as a failure too.

 */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    private readonly guard: SignInGuard,
    private readonly signIn: SignIn,
    private readonly mfa: Mfa,
  ) {}

  async execute({ input, device, ctx }: LoginCommand) {
    await this.guard.assertOpen(input.email, device.ipAddress);
    const user = await this.users.findByEmail(input.email);
    // An unknown email, or a user without a password (external sign-in only), costs a password check
    // too, so timing does not tell it from a wrong password.
    const ok = user?.passwordHash
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyNobody(input.password);
    if (!user || !ok || user.disabled) {
      this.deps.logger.info('login refused', {
        reason: !user ? 'unknown email' : !user.passwordHash ? 'no password' : !ok ? 'wrong password' : 'disabled',
        ...(user ? { userId: user.userId } : {}),
      });
      await this.guard.failed(input.email, user?.userId ?? null, device.ipAddress, ctx);
      throw new DomainError(IdentityErrors.invalidCredentials, 'The email or password is not correct');
    }
    if (user.mfa.status === 'on') {
      if (input.otp === undefined && input.recoveryCode === undefined)
        throw new DomainError(
          IdentityErrors.mfaRequired,
          'Multi-factor authentication is on: send otp (or recoveryCode)',
        );
      if (!(await this.mfa.secondFactor(user, input, asUser(ctx, user)))) {
        this.deps.logger.info('login refused', { reason: 'wrong second factor', userId: user.userId });
        await this.guard.failed(input.email, user.userId, device.ipAddress, ctx);
        throw new DomainError(IdentityErrors.mfaRequired, 'The one-time or recovery code is not correct, or was used');
      }
    }
    await this.guard.clear(input.email, user.userId, 'signed_in', asUser(ctx, user));
    return this.signIn.startSession(user, device, ctx);
  }
}
