import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import type { SessionState } from '../../domain/identity/session.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { EndSessionCommand } from './end-session.command.js';

@CommandHandler(EndSessionCommand)
export class EndSessionHandler implements ICommandHandler<EndSessionCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  /** Someone else's session is as missing as an unknown one. */
  async execute({ sessionId, ctx }: EndSessionCommand) {
    const own = (state: SessionState) => {
      if (state.status === 'none' || state.userId !== ctx.actor.userId)
        throw new DomainError(IdentityErrors.sessionNotFound, `No session ${sessionId}`);
    };
    const result = await this.path.handle(
      sessionDecider,
      sessionId,
      { type: 'EndSession', data: { reason: 'ended_by_user', now: this.deps.now() } },
      ctx,
      { guard: own },
    );
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return { position: result.events.length > 0 ? result.position : null };
  }
}
