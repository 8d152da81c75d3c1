import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { UserCommand } from '../../domain/identity/user.commands.js';
import { decideUser } from '../../domain/identity/user.decide.js';
import { refreshTokenErrorCodes } from '../../domain/identity/user.errors.js';
import { userStream } from '../../domain/identity/user.events.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend } from '../shared/event-sourcing.js';
import { IdentityDeps, asUser, userEvolver, type RegisteredUser } from './identity-deps.js';
import { invalidRefreshToken } from './identity.errors.js';
import { LogoutCommand } from './logout.command.js';
import { RefreshCommand } from './refresh.command.js';
import { mintRefreshToken, parseRefreshToken, tokenPair } from './refresh-tokens.js';

/**
 * Decides a refresh-token command on the token owner's stream, appending with the revision it was
 * decided on: of two concurrent rotations of one token, the later one is decided again on the fresh
 * stream, finds the token spent and revokes the family. Every refusal is the same 401 to the client.
 */
async function decideOnOwner(deps: IdentityDeps, userId: string, command: UserCommand, ctx: CommandContext) {
  const owner = await deps.findUser(userId);
  if (!owner) throw invalidRefreshToken();
  try {
    return await decideAndAppend(deps, userStream(userId), userEvolver, (state) => decideUser(command, state), asUser(ctx, owner));
  } catch (error) {
    if (error instanceof DomainError && refreshTokenErrorCodes.has(error.code)) {
      deps.logger.info('refresh token refused', { userId, reason: error.code });
      throw invalidRefreshToken();
    }
    throw error;
  }
}

@CommandHandler(RefreshCommand)
export class RefreshHandler implements ICommandHandler<RefreshCommand> {
  constructor(private readonly deps: IdentityDeps) {}

  async execute({ refreshToken, ctx }: RefreshCommand) {
    const presented = parseRefreshToken(refreshToken);
    if (!presented) throw invalidRefreshToken();
    const now = this.deps.clock.now();
    const { token, ...next } = mintRefreshToken(presented.userId, this.deps.ids.uuid(), now, this.deps.settings.refreshTokenTtlSeconds);
    const { tokenId, secretHash } = presented;
    const result = await decideOnOwner(this.deps, presented.userId, { type: 'RotateRefreshToken', data: { tokenId, secretHash, next, now: now.toISOString() } }, ctx);
    if (result.events.some((e) => e.type === 'RefreshTokenFamilyRevoked')) {
      this.deps.logger.warn('refresh token reuse detected: token family revoked', { userId: presented.userId });
      throw invalidRefreshToken();
    }
    return tokenPair(this.deps.tokens, result.state as RegisteredUser, token);
  }
}

@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(private readonly deps: IdentityDeps) {}

  /** Only the signed-in user's own token: anyone else's is as unknown as a made-up one. */
  async execute({ refreshToken, ctx }: LogoutCommand) {
    const presented = parseRefreshToken(refreshToken);
    if (!presented || presented.userId !== ctx.actor.userId) throw invalidRefreshToken();
    const { tokenId, secretHash } = presented;
    const result = await decideOnOwner(this.deps, presented.userId, { type: 'RevokeRefreshTokenFamily', data: { tokenId, secretHash, now: this.deps.now() } }, ctx);
    return { position: result.events.length > 0 ? result.position : null };
  }
}
