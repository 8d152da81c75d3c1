import { createHash, randomBytes } from 'node:crypto';
import type { IssuedToken, PresentedToken } from '../../domain/identity/session.commands.js';
import type { RegisteredUser } from '../../domain/identity/user.state.js';
import type { CommandContext } from '../shared/command-context.js';
import type { Role, Tokens } from '../ports/tokens.port.js';

/**
 * Refresh tokens are opaque strings `<sessionId>.<tokenId>.<secret>`: the session's stream keeps each
 * token's id and the sha256 of its 32-byte random secret, never the secret.
 */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const FORMAT = /^([A-Za-z0-9-]{1,64})\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A new refresh token of a session: the string for the client, and what the session keeps of it. */
export function mintRefreshToken(
  sessionId: string,
  tokenId: string,
  now: Date,
  ttlSeconds: number,
): { token: string; issued: IssuedToken } {
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `${sessionId}.${tokenId}.${secret}`,
    issued: {
      tokenId,
      secretHash: hashSecret(secret),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    },
  };
}

/** The session and token a refresh token names, or null when the string cannot be one. */
export function parseRefreshToken(token: string): { sessionId: string; presented: PresentedToken } | null {
  const match = FORMAT.exec(token);
  return match ? { sessionId: match[1], presented: { tokenId: match[2], secretHash: hashSecret(match[3]) } } : null;
}

/** A fresh access token for the user, with the refresh token that goes with it. */
export function tokenPair(tokens: Tokens, user: RegisteredUser, refreshToken: string): TokenPair {
  const access = tokens.issueAccess({
    userId: user.userId,
    roles: user.roles as Role[],
    ...(user.customerId ? { customerId: user.customerId } : {}),
  });
  return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
}

/** Events a user causes by signing in or presenting a refresh token: an anonymous request is recorded as that user. */
export const asUser = (ctx: CommandContext, user: { userId: string; roles?: string[] }): CommandContext => ({
  ...ctx,
  actor:
    ctx.actor.role === 'anonymous' ? { userId: user.userId, role: (user.roles ?? []).join(',') || 'user' } : ctx.actor,
});
