import fastifyRateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../../../application/ports/clock.port.js';
import type { Logger } from '../../../../application/ports/logger.port.js';
import type { RateLimitStore } from '../../../../application/ports/rate-limit.port.js';
import { HttpError, HttpErrors } from '../http.errors.js';

/** The classes of routes limited apart (each with its own budget per window). */
export const ROUTE_CLASSES = ['sign-in', 'register', 'refresh', 'password-reset', 'commands', 'queries'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export interface RateLimitOptions {
  store: RateLimitStore;
  clock: Clock;
  logger: Logger;
  windowMs: number;
  /** Requests per window and caller, by route class. */
  limits: Record<RouteClass, number>;
}

/** Which budget a request spends; null for what is not limited (health, metrics, docs). */
export function routeClassOf(request: FastifyRequest): RouteClass | null {
  const url = request.routeOptions.url ?? request.url.split('?')[0];
  if (!url.startsWith('/v1/')) return null;
  if (url === '/v1/auth/login' || url.startsWith('/v1/auth/oidc/')) return 'sign-in';
  if (url === '/v1/auth/register') return 'register';
  if (url === '/v1/auth/refresh') return 'refresh';
  if (url.startsWith('/v1/auth/password-reset')) return 'password-reset';
  return request.method === 'GET' || request.method === 'HEAD' ? 'queries' : 'commands';
}

/**
 * Rate limits with @fastify/rate-limit over the shared rate-limit store (one budget per window across
 * every api process): per route class, per user (or API key) when signed in, per client address
 * otherwise (the address Fastify resolves: `X-Forwarded-For` counts only from TRUST_PROXY's proxies).
 * Answers carry `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`; a refused request is a
 * 429 problem with `Retry-After`. A store that fails lets the request through and says so in the log.
 */
export async function installRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const { store, clock, logger } = options;
  class SharedStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = clock.now().getTime();
      store.hit(key, timeWindow, now).then(
        ({ count, resetAtMs }) => callback(null, { current: count, ttl: Math.max(0, resetAtMs - now) }),
        (error: Error) => {
          logger.warn('rate-limit store failed; the request goes through unlimited', { error: error.message });
          callback(null, { current: 0, ttl: timeWindow });
        },
      );
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'onRequest', // after authentication (installed before), before the body is read
    store: SharedStore,
    timeWindow: options.windowMs,
    allowList: (request) => routeClassOf(request) === null,
    keyGenerator: (request) =>
      `${routeClassOf(request)}:${
        request.auth?.apiKeyId !== undefined
          ? `key:${request.auth.apiKeyId}`
          : request.auth
            ? `user:${request.auth.userId}`
            : `ip:${request.ip}`
      }`,

    max: (request) => options.limits[routeClassOf(request) ?? 'queries'],
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) =>
      new HttpError(HttpErrors.rateLimited, `Too many requests; retry in ${context.after}`, {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }),
  });
}
