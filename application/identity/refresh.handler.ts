import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { InvalidRefreshTokenError } from '../../domain/identity/session.decide.js';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import { TOKENS, type Tokens } from '../ports/tokens.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RefreshCommand } from './refresh.command.js';
import { asUser, parseRefreshToken, successorOf, tokenPair } from './session-tokens.js';
import { UserDirectory } from './user-directory.js';

/**
 * Rotation on the session's own stream, appended with the revision it was decided on: of two
 * concurrent rotations of one token, the later one is decided again on the fresh stream and finds the
 * token just spent, which within the grace period answers the same successor (a retried request), and
 * after it ends the session (a replayed token). A disabled user, or one signed out everywhere since,
 * gets nothing. Every refusal is the same 401 to the client; the log says why.
 */
@CommandHandler(RefreshCommand)
export class RefreshHandler implements ICommandHandler<RefreshCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    @Inject(TOKENS) private readonly tokens: Tokens,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
  ) {}

  async execute({ refreshToken, ctx }: RefreshCommand) {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new InvalidRefreshTokenError('unknown');
    const now = this.deps.clock.now();
    const { settings } = this.deps;
    const next = successorOf(this.index, parsed, now, settings.refreshTokenTtlSeconds);
    try {
      const loaded = await this.path.load(sessionDecider, parsed.sessionId);
      const owner = loaded.state.status === 'none' ? null : await this.users.findById(loaded.state.userId);
      if (!owner || owner.disabled) throw new InvalidRefreshTokenError(owner ? 'signed_out' : 'unknown');
      const command = {
        type: 'RefreshSession' as const,
        data: {
          presented: parsed.presented,
          next: next.issued,
          userTokenVersion: owner.tokenVersion,
          graceSeconds: settings.refreshGraceSeconds,
          now: now.toISOString(),
        },
      };
      const result = await this.path.handle(sessionDecider, parsed.sessionId, command, asUser(ctx, owner), { loaded });
      if (result.events.some((e) => e.type === 'SessionEnded')) {
        this.deps.logger.warn('refresh token replayed: session ended', {
          userId: owner.userId,
          sessionId: parsed.sessionId,
        });
        throw new InvalidRefreshTokenError('ended');
      }
      if (result.events.length === 0)
        this.deps.logger.info('refresh retried within the grace period: the same successor again', {
          sessionId: parsed.sessionId,
        });
      return tokenPair(this.tokens, owner, parsed.sessionId, next.token);
    } catch (error) {
      if (error instanceof InvalidRefreshTokenError)
        this.deps.logger.info('refresh token refused', { sessionId: parsed.sessionId, reason: error.reason });
      throw error;
    }
  }
}
