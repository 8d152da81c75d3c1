import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { InvalidRefreshTokenError } from '../../domain/identity/session.decide.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { LogoutCommand } from './logout.command.js';
import { parseRefreshToken } from './session-tokens.js';

/** Ends the session of the presented refresh token; only the signed-in user's own (anyone else's is as unknown as a made-up one). */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ refreshToken, ctx }: LogoutCommand) {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new InvalidRefreshTokenError('unknown');
    const own = (state: { status: string; userId?: string }) => {
      if (state.status === 'none' || state.userId !== ctx.actor.userId) throw new InvalidRefreshTokenError('unknown');
    };
    const result = await this.path.handle(
      sessionDecider,
      parsed.sessionId,
      { type: 'EndSession', data: { presented: parsed.presented, now: this.deps.now() } },
      ctx,
      { guard: own },
    );
    return { position: result.events.length > 0 ? result.position : null };
  }
}
