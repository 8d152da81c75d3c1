import { createHash, randomBytes } from 'node:crypto';
import type { IssuedToken, PresentedToken } from '../../domain/identity/session.commands.js';
import type { BlindIndex } from '../ports/blind-index.port.js';
import type { Role, Tokens } from '../ports/tokens.port.js';
import type { CommandContext } from '../shared/command-context.js';

/**
 * Refresh tokens are opaque strings `<sessionId>.<tokenId>.<secret>`: the session's stream keeps each
 * token's id and the sha256 of its secret, never the secret. A sign-in's first token is random; each
 * successor is derived from the token it replaces with a keyed hash, so that a refresh retried with
 * the same token (its answer was lost) can be answered with the same successor.
 */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface ParsedRefreshToken {
  sessionId: string;
  presented: PresentedToken;
  secret: string;
}

const FORMAT = /^([A-Za-z0-9-]{1,64})\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{43,64})$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const expiry = (now: Date, ttlSeconds: number) => new Date(now.getTime() + ttlSeconds * 1000).toISOString();

/** A sign-in's first refresh token: random. */
export function mintRefreshToken(
  sessionId: string,
  tokenId: string,
  now: Date,
  ttlSeconds: number,
): { token: string; issued: IssuedToken } {
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `${sessionId}.${tokenId}.${secret}`,
    issued: { tokenId, secretHash: hashSecret(secret), expiresAt: expiry(now, ttlSeconds) },
  };
}

/** The successor of a refresh token: the same for the same token, unguessable without the server's key. */
export function successorOf(
  index: BlindIndex,
  parsed: ParsedRefreshToken,
  now: Date,
  ttlSeconds: number,
): { token: string; issued: IssuedToken } {
  const tokenId = index.of('refresh-token-id', parsed.secret);
  const secret = `${index.of('refresh-token-secret-a', parsed.secret)}${index.of('refresh-token-secret-b', parsed.secret)}`;
  return {
    token: `${parsed.sessionId}.${tokenId}.${secret}`,
    issued: { tokenId, secretHash: hashSecret(secret), expiresAt: expiry(now, ttlSeconds) },
  };
}

/** The session and token a refresh token names, or null when the string cannot be one. */
export function parseRefreshToken(token: string): ParsedRefreshToken | null {
  const match = FORMAT.exec(token);
  return match
    ? { sessionId: match[1], presented: { tokenId: match[2], secretHash: hashSecret(match[3]) }, secret: match[3] }
    : null;
}

/** A fresh access token for the user's session, with the refresh token that goes with it. */
export function tokenPair(
  tokens: Tokens,
  user: { userId: string; roles: string[]; customerId?: string; tokenVersion: number },
  sessionId: string,
  refreshToken: string,
): TokenPair {
  const access = tokens.issueAccess({
    userId: user.userId,
    roles: user.roles as Role[],
    sessionId,
    tokenVersion: user.tokenVersion,
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
