import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpError, HttpErrors } from '../http.errors.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PasswordHasher } from '../../../../application/ports/password-hasher.port.js';
import type { Projections } from '../../../../application/ports/projections.port.js';

/**
 * `/metrics` in Prometheus text: process metrics, HTTP request durations by route and status, and
 * each read model's lag (measured when scraped). With METRICS_TOKEN set, only a scraper that sends it as
 * a bearer token is answered.
 */
export function installMetrics(
  app: FastifyInstance,
  options: { projections: Projections; passwords: Pick<PasswordHasher, 'stats'>; token?: string },
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rentlog_' });
  const duration = new Histogram({
    name: 'rentlog_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const problems = new Counter({
    name: 'rentlog_http_problems_total',
    help: 'Problem responses by status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'rentlog_projection_lag_events',
    help: 'Events in the log not yet applied to the read model (capped at 10000)',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const p of await options.projections.status()) this.set({ projection: p.name }, p.lag.events);
    },
  });
  new Gauge({
    name: 'rentlog_projection_lag_seconds',
    help: 'Age of the oldest event not yet applied to the read model',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const p of await options.projections.status()) this.set({ projection: p.name }, p.lag.seconds);
    },
  });
  new Gauge({
    name: 'rentlog_password_hashes_total',
    help: 'Password hashes and verifications finished, and those refused because the bounded pool was full',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      const stats = options.passwords.stats();
      this.set({ outcome: 'hashed' }, stats.hashed);
      this.set({ outcome: 'verified' }, stats.verified);
      this.set({ outcome: 'refused' }, stats.refused);
    },
  });
  new Gauge({
    name: 'rentlog_password_hash_pool',
    help: 'Password hashes running and waiting in the bounded pool now',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = options.passwords.stats();
      this.set({ state: 'active' }, stats.active);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics')
      duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) problems.inc({ status: String(reply.statusCode) });
    done();
  });
  const expected = options.token === undefined ? undefined : createHash('sha256').update(options.token).digest();
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected) {
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
        throw new HttpError(
          HttpErrors.unauthenticated,
          'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>',
        );
      }
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
