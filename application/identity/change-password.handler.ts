import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { PasswordPolicy } from './password-policy.service.js';

import { sessionDecider } from '../../domain/identity/session.decider.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { ACCESS_READ_MODEL, type SessionAccessDoc } from './access.view.js';
import { ChangePasswordCommand } from './change-password.command.js';
import { Passwords } from './passwords.js';
import { UserDirectory } from './user-directory.js';

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
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
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
    const others = await this.store
      .collection<SessionAccessDoc>(ACCESS_READ_MODEL)
      .find({ kind: 'session', userId: user.userId, active: true });
    let position = changed.position;
    for (const session of others.filter((s) => s.sessionId !== sessionId)) {
      const ended = await this.path.handle(
        sessionDecider,
        session.sessionId,
        { type: 'EndSession', data: { reason: 'password_changed', now: this.deps.now() } },
        ctx,
      );
      position = latest(position, ended.position);
    }
    await accessApplied(this.projections, position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return { position: position! };
  }
}
