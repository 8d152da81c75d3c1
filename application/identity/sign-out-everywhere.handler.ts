import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { userDecider } from '../../domain/identity/user.decider.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { SignOutEverywhereCommand } from './sign-out-everywhere.command.js';

/** Moves the user's token version on: every session and access token issued before it is over. */
@CommandHandler(SignOutEverywhereCommand)
export class SignOutEverywhereHandler implements ICommandHandler<SignOutEverywhereCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ ctx }: SignOutEverywhereCommand) {
    const result = await this.path.handle(
      userDecider,
      ctx.actor.userId,
      { type: 'SignOutEverywhere', data: { now: this.deps.now() } },
      ctx,
    );
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return { position: result.position! };
  }
}
