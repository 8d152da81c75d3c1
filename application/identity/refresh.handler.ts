import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { InvalidRefreshTokenError } from '../../domain/identity/session.decide.js';
import { TOKENS, type Tokens } from '../ports/tokens.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RefreshCommand } from './refresh.command.js';
import { asUser, mintRefreshToken, parseRefreshToken, tokenPair } from './session-tokens.js';
import { UserDirectory } from './user-directory.js';

/**
 * Rotation on the session's own stream, appended with the revision it was decided on: of two
 * concurrent rotations of one token, the later is decided again on the fresh stream, finds the token
 * spent, and ends the session. Every refusal is the same 401 to the client; the log says why.
 */
@CommandHandler(RefreshCommand)
export class RefreshHandler implements ICommandHandler<RefreshCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    @Inject(TOKENS) private readonly tokens: Tokens,
  ) {}

  async execute({ refreshToken, ctx }: RefreshCommand) {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new InvalidRefreshTokenError('unknown');
    const now = this.deps.clock.now();
    const { token, issued: next } = mintRefreshToken(
      parsed.sessionId,
      this.deps.ids.uuid(),
      now,
      this.deps.settings.refreshTokenTtlSeconds,
    );
    try {
      const loaded = await this.path.load(sessionDecider, parsed.sessionId);
      const owner = loaded.state.status === 'none' ? null : await this.users.findById(loaded.state.userId);
      if (!owner) throw new InvalidRefreshTokenError('unknown');
      const result = await this.path.handle(
        sessionDecider,
        parsed.sessionId,
        { type: 'RefreshSession', data: { presented: parsed.presented, next, now: now.toISOString() } },
        asUser(ctx, owner),
        { loaded },
      );
      if (result.events.some((e) => e.type === 'SessionEnded')) {
        this.deps.logger.warn('refresh token replayed: session ended', {
          userId: owner.userId,
          sessionId: parsed.sessionId,
        });
        throw new InvalidRefreshTokenError('ended');
      }
      return tokenPair(this.tokens, owner, token);
    } catch (error) {
      if (error instanceof InvalidRefreshTokenError)
        this.deps.logger.info('refresh token refused', { sessionId: parsed.sessionId, reason: error.reason });
      throw error;
    }
  }
}
