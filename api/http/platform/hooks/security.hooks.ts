import { createHash } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export interface SecurityOptions {
  /** Origins allowed to call from a browser; empty: CORS stays off (no Access-Control-* headers). */
  corsOrigins: string[];
}

/** The API answers JSON only: nothing may load, frame or run from it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** What Swagger UI at /docs needs: its own scripts and styles, nothing from elsewhere. */
export const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; frame-ancestors 'none'; form-action 'self'";

/**
 * The usual security headers on every answer (@fastify/helmet: HSTS, nosniff, frame denial, a strict
 * CSP, no referrer), CORS only for the configured origins (@fastify/cors), and caching: authenticated
 * answers are `private, no-store`; public GETs carry an ETag (the resource's revision where it has one,
 * else a hash of the body) and answer `If-None-Match` with 304.
 */
export async function installSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: false, // set below: one policy for the API, another for /docs
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  if (options.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: options.corsOrigins,
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'If-Match',
        'If-None-Match',
        'X-Min-Position',
        'X-Request-Id',
        'X-Correlation-Id',
        'X-API-Key',
      ],
      exposedHeaders: [
        'ETag',
        'Location',
        'Retry-After',
        'X-Request-Id',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ],
      maxAge: 600,
    });
  }

  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', request.url.startsWith('/docs') ? DOCS_CSP : API_CSP);
    }
    if (request.auth) {
      reply.header('cache-control', 'private, no-store');
      return payload;
    }
    if (
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      reply.statusCode !== 200 ||
      typeof payload !== 'string'
    )
      return payload;
    if (!reply.hasHeader('etag')) reply.header('etag', `W/"${createHash('sha1').update(payload).digest('base64url')}"`);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
    if (matches(request.headers['if-none-match'], String(reply.getHeader('etag')))) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}

/** RFC 9110 13.1.2: weak comparison; `*` matches any current representation. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
