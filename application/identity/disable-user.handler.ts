import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { userDecider } from '../../domain/identity/user.decider.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { DisableUserCommand, EnableUserCommand } from './disable-user.command.js';
import { SignInGuard } from './sign-in-guard.js';

@CommandHandler(DisableUserCommand)
export class DisableUserHandler implements ICommandHandler<DisableUserCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ userId, reason, ctx }: DisableUserCommand) {
    const result = await this.path.handle(
      userDecider,
      userId,
      { type: 'DisableUser', data: { reason, now: this.deps.now() } },
      ctx, // the reason may hold personal data: in the event's data (encrypted), never in metadata
    );
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return { position: result.position! };
  }
}

/** Enables a disabled user, and lifts a sign-in lockout of their email (either, both or neither may be needed). */
@CommandHandler(EnableUserCommand)
export class EnableUserHandler implements ICommandHandler<EnableUserCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly guard: SignInGuard,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ userId, ctx }: EnableUserCommand) {
    const result = await this.path.handle(
      userDecider,
      userId,
      { type: 'EnableUser', data: { now: this.deps.now() } },
      ctx,
    );
    const user = result.state.status === 'registered' ? result.state : null;
    const unlocked = user ? await this.guard.clear(user.email, userId, 'unlocked', ctx) : null;
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return { position: latest(result.position, unlocked) };
  }
}
