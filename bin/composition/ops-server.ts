import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Draining } from '../../api/http/platform/draining.js';
import type { Infrastructure } from './infrastructure.js';

/**
 * Health for a projector or worker running alone (their containers' health checks):
 * `/health/live`, and `/health/ready` (stores reachable, their writes working, and the process's own check;
 * 503 from the stop signal on);
 * with `metrics`, `/metrics` too (a lone worker's job metrics), behind METRICS_TOKEN when that is set.
 */
export async function startOpsServer(
  infra: Infrastructure,
  options: {
    host: string;
    port: number;
    logger: Logger;
    ready: () => Promise<{ ok: boolean; detail?: unknown }>;
    /** From the stop signal on, readiness is 503 (the process is draining). */
    draining?: Draining;
    metrics?: { registry: Registry; token?: string };
  },
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const metrics = options.metrics;
  if (metrics) {
    const digest = (text: string) => createHash('sha256').update(text).digest();
    app.get('/metrics', async (request, reply) => {
      const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (metrics.token !== undefined && !timingSafeEqual(digest(presented), digest(metrics.token))) {
        reply.code(401);
        return { status: 401, detail: 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>' };
      }
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  }
  app.get('/health/live', async () => ({ status: 'up' }));
  app.get('/health/ready', async (_request, reply) => {
    const since = options.draining?.since;
    if (since) {
      reply.code(503);
      return { status: 'down', detail: { shutdown: `shutting down since ${since}` } };
    }
    try {
      await Promise.all([infra.events.ping(), infra.store.ping()]);
      // A worker writes events too: after an I/O error it fail-stops like the api, and says so here.
      const writes = infra.storageHealth.writeHealth();
      if (writes.state !== 'ok') {
        reply.code(503);
        return { status: 'down', detail: { writes } };
      }
      const own = await options.ready();
      if (!own.ok) reply.code(503);
      return { status: own.ok ? 'up' : 'down', detail: own.detail };
    } catch (error) {
      reply.code(503);
      return { status: 'down', detail: (error as Error).message };
    }
  });
  await app.listen({ host: options.host, port: options.port });
  options.logger.info('ops server listening', { url: `http://${options.host}:${options.port}/health/ready` });
  return app;
}
