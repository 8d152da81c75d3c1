import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import type { RegisteredUser, UserState } from '../../domain/identity/user.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ConfirmMfaCommand, DisableMfaCommand, StartMfaEnrolmentCommand } from './mfa.command.js';
import { Mfa } from './mfa.js';
import { Passwords } from './passwords.js';
import { SignInGuard } from './sign-in-guard.js';
import { UserDirectory } from './user-directory.js';
import { UserSessions } from './user-sessions.js';

async function signedInUser(users: UserDirectory, ctx: CommandContext): Promise<RegisteredUser> {
  const user = await users.findById(ctx.actor.userId);
  if (!user) throw new DomainError(IdentityErrors.notFound, 'The signed-in user has no account here');
  return user;
}

@CommandHandler(StartMfaEnrolmentCommand)
export class StartMfaEnrolmentHandler implements ICommandHandler<StartMfaEnrolmentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly mfa: Mfa,
  ) {}

  async execute({ ctx }: StartMfaEnrolmentCommand) {
    const user = await signedInUser(this.users, ctx);
    const enrolment = await this.mfa.newSecret(user);
    await this.path.handle(
      userDecider,
      user.userId,
      { type: 'StartMfaEnrolment', data: { totpSecret: enrolment.secret, now: this.deps.now() } },
      ctx,
    );
    return enrolment;
  }
}

@CommandHandler(ConfirmMfaCommand)
export class ConfirmMfaHandler implements ICommandHandler<ConfirmMfaCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly mfa: Mfa,
    private readonly sessions: UserSessions,
  ) {}

  async execute({ otp, sessionId, ctx }: ConfirmMfaCommand) {
    const user = await signedInUser(this.users, ctx);
    if (user.mfa.status === 'on')
      throw new DomainError(IdentityErrors.mfaAlreadyEnabled, 'Multi-factor authentication is on already');
    if (user.mfa.status === 'off')
      throw new DomainError(IdentityErrors.mfaEnrolmentNotStarted, 'Start an enrolment first (POST /v1/auth/mfa/totp)');
    const verified = user.mfa.totpSecret;
    Mfa.assertCode(await this.mfa.acceptCode(user, otp));
    const { codes, hashes } = this.mfa.newRecoveryCodes();
    const enabled = await this.path.handle(
      userDecider,
      user.userId,
      { type: 'EnableMfa', data: { recoveryCodeHashes: hashes, now: this.deps.now() } },
      ctx,
      // A new enrolment that replaced the secret meanwhile was not what the code was checked against.
      {
        guard: (state: UserState) => Mfa.assertCode(state.status === 'registered' && pendingSecret(state) === verified),
      },
    );
    const position = await this.sessions.endOthers(user.userId, sessionId, 'mfa_changed', enabled.position, ctx);
    this.deps.logger.info('MFA turned on', { userId: user.userId });
    return { recoveryCodes: codes, position: position! };
  }
}

const pendingSecret = (state: RegisteredUser): string | null =>
  state.mfa.status === 'pending' ? state.mfa.totpSecret : null;

@CommandHandler(DisableMfaCommand)
export class DisableMfaHandler implements ICommandHandler<DisableMfaCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly passwords: Passwords,
    private readonly mfa: Mfa,
    private readonly guard: SignInGuard,
    private readonly sessions: UserSessions,
  ) {}

  /** Wrong passwords and codes count as failed sign-ins of the user's email (they lock it alike). */
  async execute({ input, sessionId, ctx }: DisableMfaCommand) {
    const user = await signedInUser(this.users, ctx);
    await this.guard.assertOpen(user.email, null);
    if (user.mfa.status !== 'on')
      throw new DomainError(IdentityErrors.mfaNotEnabled, 'Multi-factor authentication is not on');
    const passwordOk = user.passwordHash ? await this.passwords.verify(user.passwordHash, input.password) : false;
    if (!passwordOk) {
      await this.guard.failed(user.email, user.userId, null, ctx);
      throw new DomainError(IdentityErrors.currentPasswordIncorrect, 'The current password is not correct', [
        { field: 'password', message: 'not correct' },
      ]);
    }
    if (!(await this.mfa.secondFactor(user, input, ctx))) {
      await this.guard.failed(user.email, user.userId, null, ctx);
      Mfa.assertCode(false, input.otp === undefined ? 'recoveryCode' : 'otp');
    }
    const disabled = await this.path.handle(
      userDecider,
      user.userId,
      { type: 'DisableMfa', data: { now: this.deps.now() } },
      ctx,
    );
    const position = await this.sessions.endOthers(user.userId, sessionId, 'mfa_changed', disabled.position, ctx);
    this.deps.logger.info('MFA turned off', { userId: user.userId });
    return { position: position! };
  }
}
