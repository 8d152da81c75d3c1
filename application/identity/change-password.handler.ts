import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { PasswordPolicy } from './password-policy.service.js';

import { userDecider } from '../../domain/identity/user.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ChangePasswordCommand } from './change-password.command.js';
import { Passwords } from './passwords.js';
import { UserDirectory } from './user-directory.js';
import { UserSessions } from './user-sessions.js';

/**
 * A new password, given the current one; every other session of the user ends (a password that
 * leaked stops being useful anywhere else), the current one goes on.
 */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    private readonly policy: PasswordPolicy,
    private readonly sessions: UserSessions,
  ) {}

  async execute({ input, sessionId, ctx }: ChangePasswordCommand) {
    const user = await this.users.findById(ctx.actor.userId);
    if (!user) throw new DomainError(IdentityErrors.notFound, 'The signed-in user has no account here');
    // A user without a password (external sign-in only) has no current password to give.
    if (!user.passwordHash || !(await this.passwords.verify(user.passwordHash, input.currentPassword))) {
      throw new DomainError(IdentityErrors.currentPasswordIncorrect, 'The current password is not correct', [
        { field: 'currentPassword', message: 'not correct' },
      ]);
    }
    this.policy.assert(input.newPassword, { email: user.email, name: user.name }, 'newPassword');
    const passwordHash = await this.passwords.hash(input.newPassword);
    const changed = await this.path.handle(
      userDecider,
      user.userId,
      { type: 'ChangePassword', data: { passwordHash, via: 'change', now: this.deps.now() } },
      ctx,
    );
    const position = await this.sessions.endOthers(user.userId, sessionId, 'password_changed', changed.position, ctx);
    return { position: position! };
  }
}
