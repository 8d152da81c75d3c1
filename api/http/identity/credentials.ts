import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenPair } from '../../../application/identity/session-tokens.js';
import type { Device } from '../../../application/identity/sign-in.service.js';

// Answers of the sign-in routes carry credentials: they are never stored for Idempotency-Key replays.
export const anyone = { access: 'anyone' as const, idempotency: false };
export const signedIn = { access: 'signed-in' as const, idempotency: false };

/** Tokens are never cached (RFC 6749 section 5.1). */
export const tokens = (reply: FastifyReply, pair: TokenPair): TokenPair => {
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  return pair;
};

/** The device a session starts from, as the request shows it (shown to the user in its session list; never logged). */
export function deviceOf(request: FastifyRequest): Device {
  const agent = request.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent.slice(0, 256) : null, ipAddress: request.ip ?? null };
}
