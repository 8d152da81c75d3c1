import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  InvalidTokenError,
  type AccessClaims,
  type Role,
  type Tokens,
} from '../../../../application/ports/tokens.port.js';
import type { AccessCheck } from '../../../../application/identity/access-check.js';
import { IdentityErrors } from '../../../../domain/identity/identity.errors.js';
import { HttpError, HttpErrors } from '../http.errors.js';

/** Who may call a route: anyone, any signed-in user, or users holding one of these roles. */
export type Access = 'anyone' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AccessClaims;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * Authentication and role checks, before the body is even parsed: a bearer token is verified and
 * becomes `request.auth` / `request.actor`; a route's `access` config is enforced (401 without a
 * valid token, 403 without a role). The token's session must be active and its user enabled at the
 * token's version, and the roles are the user's current ones. A /v1 route without `access` is
 * closed (deny by default). On a
 * route open to anyone, a token that does not verify (expired, say) is ignored: the call is anonymous.
 * A service sends `X-API-Key` instead and acts with the key's roles; the routes of a signed-in user's
 * own account (`signed-in` access: me, sessions, password, MFA) are a 403 for it.
 * Ownership (a customer reaching only its own records, 404 otherwise) is checked by the handlers.
 */
export function installAuth(
  app: FastifyInstance,
  options: { tokens: Tokens; access: AccessCheck; mfaRequiredRoles: readonly Role[] },
): void {
  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    const header = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    if (header !== undefined && apiKey !== undefined)
      throw new HttpError(HttpErrors.unauthenticated, 'Send either Authorization or X-API-Key, not both');
    if (header !== undefined || apiKey !== undefined) {
      const claims =
        header !== undefined
          ? await verify(header, options.tokens, options.access)
          : await verifyApiKey(apiKey!, options.access, request);
      if (claims instanceof HttpError) {
        if (access !== 'anyone') throw claims;
      } else {
        request.auth = claims;
        request.actor = { userId: claims.userId, role: claims.roles.join(',') };
      }
    }
    if (access === 'anyone') return;
    if (!request.auth)
      throw new HttpError(HttpErrors.unauthenticated, 'Sign in first: send Authorization: Bearer <access token>');
    assertMfaIfRequired(request, options.mfaRequiredRoles);
    if (access === 'signed-in') {
      if (request.auth.apiKeyId !== undefined)
        throw new HttpError(HttpErrors.forbidden, "This route is a signed-in user's own: an API key cannot use it");
      return;
    }
    if (!request.auth.roles.some((r) => access.includes(r))) {
      throw new HttpError(HttpErrors.forbidden, `This needs one of the roles: ${access.join(', ')}`);
    }
  });
}

/**
 * The caller of a bearer token that verifies and whose session and user still allow it (with the
 * user's current roles), or the problem with the header.
 */
async function verify(header: string, tokens: Tokens, access: AccessCheck): Promise<AccessClaims | HttpError> {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!match) return new HttpError(HttpErrors.unauthenticated, 'Authorization must be "Bearer <access token>"');
  let claims: AccessClaims;
  try {
    claims = tokens.verifyAccess(match[1]);
  } catch (error) {
    if (error instanceof InvalidTokenError)
      return new HttpError(HttpErrors.invalidToken, 'The access token is not valid or has expired');
    throw error;
  }
  return (
    (await access.check(claims)) ??
    new HttpError(HttpErrors.invalidToken, 'The access token is no longer valid: its session ended or its user changed')
  );
}

/** What a user whose roles need MFA may still reach before it is on: enrolment, who it is, signing out. */
const OPEN_BEFORE_MFA = new Set(['/v1/auth/me', '/v1/auth/logout', '/v1/auth/logout-all']);

/** MFA_REQUIRED_ROLES: a user holding one of them without MFA on gets a 403 on everything but enrolment. */
function assertMfaIfRequired(request: FastifyRequest, required: readonly Role[]): void {
  const auth = request.auth!;
  if (auth.apiKeyId !== undefined || auth.mfaEnabled === true) return;
  if (!auth.roles.some((r) => required.includes(r))) return;
  const url = request.routeOptions.url ?? '';
  if (url.startsWith('/v1/auth/mfa/') || OPEN_BEFORE_MFA.has(url)) return;
  throw new HttpError(
    IdentityErrors.mfaEnrolmentRequired,
    `Your roles need multi-factor authentication: turn it on first (POST /v1/auth/mfa/totp)`,
  );
}

async function verifyApiKey(
  header: string | string[],
  access: AccessCheck,
  request: FastifyRequest,
): Promise<AccessClaims | HttpError> {
  const agent = request.headers['user-agent'];
  const origin = { ipAddress: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
  const claims = typeof header === 'string' ? await access.checkApiKey(header.trim(), origin) : null;
  return claims ?? new HttpError(HttpErrors.invalidApiKey, 'The API key is not valid, was revoked or has expired');
}

function accessOf(request: FastifyRequest): Access {
  return routeAccess(request.routeOptions.config?.access, request.routeOptions.url ?? '');
}

/** Who may call the route at `url` configured so: what it says, else nobody under /v1 and anyone elsewhere. */
export function routeAccess(configured: Access | undefined, url: string): Access {
  if (configured) return configured;
  return url.startsWith('/v1/') ? [] : 'anyone';
}

/** True when the caller acts only as a customer (no staff or admin role): ownership rules apply. */
export function actsAsCustomer(auth: AccessClaims | undefined): boolean {
  return !!auth && auth.roles.includes('customer') && !auth.roles.some((r) => r === 'admin' || r === 'staff');
}
