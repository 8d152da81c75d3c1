import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidTokenError, type AccessClaims, type Role, type Tokens } from '../../../../application/ports/tokens.port.js';
import { ProblemError } from '../problem-details.js';

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

const challenge = { 'WWW-Authenticate': 'Bearer realm="rentlog"' };

/**
 * Authentication and role checks, before the body is even parsed: a bearer token is verified and
 * becomes `request.auth` / `request.actor`; a route's `access` config is enforced (401 without a
 * valid token, 403 without a role). A /v1 route without `access` is closed (deny by default).
 * Ownership (a customer reaching only its own records, 404 otherwise) is checked by the handlers.
 */
export function installAuth(app: FastifyInstance, options: { tokens: Tokens }): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
      if (!match) throw new ProblemError(401, 'UNAUTHENTICATED', 'Authorization must be "Bearer <access token>"', challenge);
      try {
        request.auth = options.tokens.verifyAccess(match[1]);
      } catch (error) {
        if (error instanceof InvalidTokenError) {
          throw new ProblemError(401, 'INVALID_TOKEN', 'The access token is not valid or has expired', { 'WWW-Authenticate': 'Bearer realm="rentlog", error="invalid_token"' });
        }
        throw error;
      }
      request.actor = { userId: request.auth.userId, role: request.auth.roles.join(',') };
    }
    const access = accessOf(request);
    if (access === 'anyone') return;
    if (!request.auth) throw new ProblemError(401, 'UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <access token>', challenge);
    if (access === 'signed-in') return;
    if (!request.auth.roles.some((r) => access.includes(r))) {
      throw new ProblemError(403, 'FORBIDDEN', `This needs one of the roles: ${access.join(', ')}`);
    }
  });
}

function accessOf(request: FastifyRequest): Access {
  const configured = request.routeOptions.config?.access;
  if (configured) return configured;
  const url = request.routeOptions.url ?? '';
  return url.startsWith('/v1/') ? [] : 'anyone';
}

/** True when the caller acts only as a customer (no staff or admin role): ownership rules apply. */
export function actsAsCustomer(auth: AccessClaims | undefined): boolean {
  return !!auth && auth.roles.includes('customer') && !auth.roles.some((r) => r === 'admin' || r === 'staff');
}
