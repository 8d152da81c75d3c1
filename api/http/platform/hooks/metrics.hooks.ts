import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpError, HttpErrors } from '../http.errors.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PasswordHasher } from '../../../../application/ports/password-hasher.port.js';
import type { Projections } from '../../../../application/ports/projections.port.js';
import type { Clock } from '../../../../application/ports/clock.port.js';
import type { JobsOverview } from '../../../../application/ports/jobs-overview.port.js';
import type { ReadStore } from '../../../../application/ports/read-store.port.js';
import { currentFigures, type CurrentFigures } from '../../../../application/report/business-figures.js';
import { auditMetrics } from './audit-metrics.js';

/** Reads once per scrape what several gauges show (every gauge's collect runs in the same scrape). */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= read().finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
}

export interface MetricsOptions {
  projections: Projections;
  passwords: Pick<PasswordHasher, 'stats'>;
  /** The read models the business figures come from. */
  store: ReadStore;
  clock: Clock;
  jobs: JobsOverview;
  /** Served as well (the job engine's metrics per queue). */
  registries?: Registry[];
  currency: string;
  token?: string;
}

/**
 * `/metrics` in Prometheus text: process metrics, HTTP request durations by route and status, each
 * read model's lag and position, and the business figures (orders by status, rentals out and overdue,
 * holds, revenue captured and refunded, registrations, parked events, jobs), all read from the read
 * models when scraped, the job engine's per queue (depth, running, failed, durations, retries), and
 * the last audit verification's result. With METRICS_TOKEN set, only a scraper that sends it as a
 * bearer token is answered.
 */
export function installMetrics(app: FastifyInstance, options: MetricsOptions): Registry {
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
      for (const p of await status()) this.set({ projection: p.name }, p.lag.events);
    },
  });
  new Gauge({
    name: 'rentlog_projection_lag_seconds',
    help: 'Age of the oldest event not yet applied to the read model',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const p of await status()) this.set({ projection: p.name }, p.lag.seconds);
    },
  });
  const status = perScrape(() => options.projections.status());
  new Gauge({
    name: 'rentlog_projection_position',
    help: 'Global log position of the last event each read model applied (its checkpoint)',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const p of await status()) this.set({ projection: p.name }, Number(p.position));
    },
  });
  businessMetrics(registry, options);
  auditMetrics(registry, options.store);
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
  const served = options.registries?.length ? Registry.merge([registry, ...options.registries]) : registry;
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
    return served.metrics();
  });
  return registry;
}

/** The shop's figures as gauges: what the read models say when scraped. */
function businessMetrics(registry: Registry, options: MetricsOptions): void {
  const figures = perScrape(() => currentFigures(options.store, options.clock));
  const gauge = (name: string, help: string, read: (f: CurrentFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await figures()));
      },
    });
  new Gauge({
    name: 'rentlog_orders',
    help: 'Orders by status, now',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      for (const [status, count] of Object.entries((await figures()).ordersByStatus)) this.set({ status }, count);
    },
  });
  gauge('rentlog_rentals_active', 'Orders picked up and not returned', (f) => f.activeRentals);
  gauge('rentlog_rentals_overdue', 'Orders picked up and past their end date', (f) => f.overdueRentals);
  gauge(
    'rentlog_holds_active',
    'Reserved orders whose units are held and whose hold has not run out',
    (f) => f.holdsActive,
  );
  gauge('rentlog_customer_registrations', 'Customers registered since the shop opened', (f) => f.registrations);
  new Gauge({
    name: 'rentlog_revenue_minor_units',
    help: 'Money captured and refunded since the shop opened, in minor units (revenue = captured - refunded)',
    labelNames: ['kind', 'currency'] as const,
    registers: [registry],
    async collect() {
      const f = await figures();
      this.set({ kind: 'captured', currency: options.currency }, f.revenueCaptured);
      this.set({ kind: 'refunded', currency: options.currency }, f.revenueRefunded);
    },
  });
  new Gauge({
    name: 'rentlog_parked_events',
    help: 'Events a projection or workflow could not apply, kept for an operator, by consumer',
    labelNames: ['consumer'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [consumer, count] of Object.entries((await options.projections.parkedEvents()).byConsumer))
        this.set({ consumer }, count);
    },
  });
  new Gauge({
    name: 'rentlog_jobs',
    help: 'Background jobs dead (failed their last attempt) and pending, in all queues',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await options.jobs.counts();
      if (counts.failed !== null) this.set({ state: 'failed' }, counts.failed);
      if (counts.pending !== null) this.set({ state: 'pending' }, counts.pending);
    },
  });
}
