import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../application/ports/clock.port.js';
import {
  InvalidTokenError,
  ROLES,
  type AccessClaims,
  type Role,
  type Tokens,
} from '../../application/ports/tokens.port.js';

export interface JwtOptions {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';

/**
 * Access tokens as JWTs (jsonwebtoken): HS256 only (the algorithm is pinned on verify, so `none` or
 * an RS/HS confusion is refused), `iss`, `aud`, `exp` required and checked against the clock port.
 */
export class JwtTokens implements Tokens {
  /** A KeyObject made once: given a string, jsonwebtoken first tries it as a public key on every call (~0.5 ms). */
  private readonly key: KeyObject;

  constructor(
    private readonly options: JwtOptions,
    private readonly clock: Clock,
  ) {
    if (Buffer.byteLength(options.secret) < 32) throw new Error('JWT secret must be at least 32 bytes');
    this.key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  }

  issueAccess(claims: AccessClaims): { token: string; expiresIn: number } {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const payload = {
      roles: claims.roles,
      ...(claims.customerId ? { cid: claims.customerId } : {}),
      iat: now,
      exp: now + this.options.ttlSeconds,
    };
    const token = jwt.sign(payload, this.key, {
      algorithm: ALGORITHM,
      issuer: this.options.issuer,
      audience: this.options.audience,
      subject: claims.userId,
    });
    return { token, expiresIn: this.options.ttlSeconds };
  }

  verifyAccess(token: string): AccessClaims {
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
        complete: false,
      }) as jwt.JwtPayload;
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    if (typeof payload.exp !== 'number') throw new InvalidTokenError('exp is required');
    if (typeof payload.sub !== 'string' || !Array.isArray(payload.roles))
      throw new InvalidTokenError('sub and roles are required');
    const roles = (payload.roles as unknown[]).filter((r): r is Role => ROLES.includes(r as Role));
    return { userId: payload.sub, roles, ...(typeof payload.cid === 'string' ? { customerId: payload.cid } : {}) };
  }
}
