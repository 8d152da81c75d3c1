import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../application/ports/clock.port.js';
import {
  InvalidTokenError,
  ROLES,
  type AccessClaims,
  type Role,
  type Tokens,
} from '../../application/ports/tokens.port.js';

export interface JwtKey {
  kid: string;
  secret: string;
}

export interface JwtOptions {
  /** The first key signs; every key verifies (rotation: add the new key first, drop the old one after a token lifetime). */
  keys: JwtKey[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';
/** RFC 9068: the media type of JWT access tokens. */
const TYPE = 'at+jwt';
const SKEW_SECONDS = 30;
/** Tokens whose signature and claims were checked, kept by the token's exact text (most recent last). */
const VERIFIED_KEPT = 10_000;

interface Verified {
  claims: AccessClaims;
  iat: number;
  exp: number;
  nbf?: number;
}

/**
 * Access tokens as JWTs (jsonwebtoken), RFC 9068 style: `typ: at+jwt`, `kid` naming the key, `jti`,
 * `sid` (the session) and `ver` (the user's token version). HS256 only (the algorithm is pinned, so
 * `none` and RS/HS confusion are refused); `iss`, `aud`, `iat`, `exp` required, checked against the
 * clock port, and a token living longer than the configured lifetime is refused whatever it says.
 */
export class JwtTokens implements Tokens {
  /** KeyObjects made once: given a string, jsonwebtoken first tries it as a public key on every call (~0.5 ms). */
  private readonly keys: Map<string, KeyObject>;
  private readonly signingKid: string;
  /**
   * A token seen before skips its HMAC and JSON parsing (12 % of a signed-in GET's CPU): keyed by its whole
   * text, signature included, so another token never matches. Only what cannot change is kept: the
   * lifetime checks run again on every call against the clock, and whether its session and user still
   * allow it is the AccessCheck's, on every request, as before.
   */
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly options: JwtOptions,
    private readonly clock: Clock,
  ) {
    if (options.keys.length === 0) throw new Error('At least one JWT key is needed');
    for (const key of options.keys)
      if (Buffer.byteLength(key.secret) < 32) throw new Error(`JWT key ${key.kid} must be at least 32 bytes`);
    this.keys = new Map(options.keys.map((k) => [k.kid, createSecretKey(Buffer.from(k.secret, 'utf8'))]));
    this.signingKid = options.keys[0].kid;
  }

  issueAccess(claims: AccessClaims): { token: string; expiresIn: number } {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const payload = {
      roles: claims.roles,
      ...(claims.customerId ? { cid: claims.customerId } : {}),
      sid: claims.sessionId,
      ver: claims.tokenVersion,
      iat: now,
      exp: now + this.options.ttlSeconds,
    };
    const token = jwt.sign(payload, this.keys.get(this.signingKid)!, {
      algorithm: ALGORITHM,
      issuer: this.options.issuer,
      audience: this.options.audience,
      subject: claims.userId,
      jwtid: randomUUID(),
      header: { alg: ALGORITHM, typ: TYPE, kid: this.signingKid },
    });
    return { token, expiresIn: this.options.ttlSeconds };
  }

  verifyAccess(token: string): AccessClaims {
    const kept = this.verified.get(token);
    if (kept !== undefined) {
      this.checkLifetime(kept);
      return { ...kept.claims, roles: [...kept.claims.roles] };
    }
    const verified = this.verify(token);
    if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, verified);
    return { ...verified.claims, roles: [...verified.claims.roles] };
  }

  /** The clock's checks again, for a kept token: expired, not yet valid, issued in the future (each with the skew). */
  private checkLifetime({ iat, exp, nbf }: Verified): void {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    if (now >= exp + SKEW_SECONDS) throw new InvalidTokenError('jwt expired');
    if (nbf !== undefined && nbf > now + SKEW_SECONDS) throw new InvalidTokenError('jwt not active');
    if (iat > now + SKEW_SECONDS) throw new InvalidTokenError('issued in the future');
  }

  private verify(token: string): Verified {
    const header = jwt.decode(token, { complete: true })?.header;
    if (!header) throw new InvalidTokenError('not a JWT');
    if (header.typ !== TYPE) throw new InvalidTokenError(`typ must be ${TYPE}`);
    const key = typeof header.kid === 'string' ? this.keys.get(header.kid) : undefined;
    if (!key) throw new InvalidTokenError('unknown key id');
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
        clockTolerance: SKEW_SECONDS,
        complete: false,
      }) as jwt.JwtPayload;
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    const { sub, exp, iat, jti, sid, ver } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') throw new InvalidTokenError('iat and exp are required');
    if (exp - iat > this.options.ttlSeconds + SKEW_SECONDS)
      throw new InvalidTokenError('the token lives longer than an access token may');
    if (iat > Math.floor(this.clock.now().getTime() / 1000) + SKEW_SECONDS)
      throw new InvalidTokenError('issued in the future');
    if (
      typeof sub !== 'string' ||
      typeof jti !== 'string' ||
      typeof sid !== 'string' ||
      !Number.isSafeInteger(ver) ||
      !Array.isArray(payload.roles)
    ) {
      throw new InvalidTokenError('sub, jti, sid, ver and roles are required');
    }
    const roles = (payload.roles as unknown[]).filter((r): r is Role => ROLES.includes(r as Role));
    const claims: AccessClaims = {
      userId: sub,
      roles,
      sessionId: sid,
      tokenVersion: ver as number,
      ...(typeof payload.cid === 'string' ? { customerId: payload.cid } : {}),
    };
    return { claims, iat, exp, ...(typeof payload.nbf === 'number' ? { nbf: payload.nbf } : {}) };
  }
}
