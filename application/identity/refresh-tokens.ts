import { createHash, randomBytes } from 'node:crypto';
import type { Role, Tokens } from '../ports/tokens.port.js';
import type { RegisteredUser } from './identity-deps.js';

/**
 * Refresh tokens are opaque strings `<userId>.<tokenId>.<secret>`: the user's stream holds each
 * token's id, family and the sha256 of its 32-byte random secret, never the secret.
 */
export interface MintedRefreshToken {
  token: string;
  tokenId: string;
  secretHash: string;
  expiresAt: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const FORMAT = /^([A-Za-z0-9-]{1,64})\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{43})$/;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function mintRefreshToken(userId: string, tokenId: string, now: Date, ttlSeconds: number): MintedRefreshToken {
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `${userId}.${tokenId}.${secret}`,
    tokenId,
    secretHash: hashSecret(secret),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
}

/** The parts of a refresh token, or null when it cannot be one. */
export function parseRefreshToken(token: string): { userId: string; tokenId: string; secretHash: string } | null {
  const match = FORMAT.exec(token);
  return match ? { userId: match[1], tokenId: match[2], secretHash: hashSecret(match[3]) } : null;
}

/** A fresh access token for the user, with the refresh token that goes with it. */
export function tokenPair(tokens: Tokens, user: RegisteredUser, refreshToken: string): TokenPair {
  const access = tokens.issueAccess({ userId: user.userId, roles: user.roles as Role[], ...(user.customerId ? { customerId: user.customerId } : {}) });
  return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
}
