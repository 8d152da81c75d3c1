import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../../../application/ports/logger.port.js';
import type { Projections } from '../../../../application/ports/projections.port.js';
import { logContext } from '../../../../application/shared/log-context.js';
import { HttpError, HttpErrors } from '../http.errors.js';
import { redactUrl } from '../redact-url.js';

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestIdFrom = (header: unknown): string =>
  typeof header === 'string' && ID_PATTERN.test(header) ? header : randomUUID();

export interface HookOptions {
  logger: Logger;
  slowRequestMs: number;
  projections: Projections;
  readWaitTimeoutMs: number;
}

/**
 * Request plumbing every route shares: a request id on every log line and response, an access log
 * with a slow-request warning, and `X-Min-Position` waits. Errors raised in hooks, validation,
 * body size and content type reach Nest's error handler (it replaces Fastify's on init), and so the
 * problem filter, like everything else.
 */
export function installRequestHooks(app: FastifyInstance, options: HookOptions): void {
  const { logger } = options;
  app.addHook('onRequest', (request, reply, done) => {
    const correlation = request.headers['x-correlation-id'];
    request.correlationId = typeof correlation === 'string' && ID_PATTERN.test(correlation) ? correlation : request.id;
    reply.header('X-Request-Id', request.id);
    nameServerSpan(request.method, request.routeOptions.url);
    logContext.run({ requestId: request.id, correlationId: request.correlationId }, done);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    const meta = {
      method: request.method,
      url: redactUrl(request.url),
      route: request.routeOptions.url,
      statusCode: reply.statusCode,
      durationMs,
      requestId: request.id,
    };
    if (durationMs >= options.slowRequestMs) logger.warn('slow request', meta);
    else logger.info('request', meta);
    done();
  });

  app.addHook('preHandler', async (request) => {
    const readModels = request.routeOptions.config?.readModels;
    const header = request.headers['x-min-position'];
    if (!readModels || header === undefined) return;
    if (typeof header !== 'string' || !/^\d{1,20}$/.test(header)) {
      throw new HttpError(
        HttpErrors.validationFailed,
        'X-Min-Position must be a global log position (a decimal number)',
        { errors: [{ field: 'header.x-min-position', message: 'must be digits' }] },
      );
    }
    const caughtUp = await options.projections.waitFor(readModels, BigInt(header), options.readWaitTimeoutMs);
    if (!caughtUp) {
      throw new HttpError(
        HttpErrors.readModelLagging,
        `The read model has not reached position ${header} yet; retry shortly`,
      );
    }
  });
}

/** Tracing on: the request's server span (the http instrumentation's) named by its route, never its URL. */
function nameServerSpan(method: string, route: string | undefined): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording() || route === undefined) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}
