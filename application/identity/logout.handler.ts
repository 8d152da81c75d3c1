import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { InvalidRefreshTokenError } from '../../domain/identity/session.decide.js';
import type { SessionState } from '../../domain/identity/session.state.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { LogoutCommand } from './logout.command.js';
import { parseRefreshToken } from './session-tokens.js';

/**
 * Ends the session of the presented refresh token, the signed-in user's own only (anyone else's is as
 * unknown as a made-up one); its access tokens stop working as the command answers.
 */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ refreshToken, ctx }: LogoutCommand) {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new InvalidRefreshTokenError('unknown');
    const own = (state: SessionState) => {
      if (state.status === 'none' || state.userId !== ctx.actor.userId) throw new InvalidRefreshTokenError('unknown');
    };
    const result = await this.path.handle(
      sessionDecider,
      parsed.sessionId,
      { type: 'Logout', data: { presented: parsed.presented, now: this.deps.now() } },
      ctx,
      { guard: own },
    );
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return { position: result.events.length > 0 ? result.position : null };
  }
}
