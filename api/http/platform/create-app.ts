import 'reflect-metadata';
import type { LoggerService, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../../application/ports/clock.port.js';
import type { Logger } from '../../../application/ports/logger.port.js';
import type { PasswordHasher } from '../../../application/ports/password-hasher.port.js';
import type { Projections } from '../../../application/ports/projections.port.js';
import type { ProcessRegistry } from '../../../application/ports/process-registry.port.js';
import type { JobsOverview } from '../../../application/ports/jobs-overview.port.js';
import type { ReadStore } from '../../../application/ports/read-store.port.js';
import type { AccessCheck } from '../../../application/identity/access-check.js';
import type { Role, Tokens } from '../../../application/ports/tokens.port.js';
import { HttpError, HttpErrors } from './http.errors.js';
import { MAX_JSON_DEPTH, depthExceeds } from './json-depth.js';
import { installAuth } from './hooks/auth.hooks.js';
import { HttpModule } from './http.module.js';
import { installIdempotency } from './hooks/idempotency.hooks.js';
import { installSecurity } from './hooks/security.hooks.js';
import { installRateLimits, type RouteClass } from './hooks/rate-limit.hooks.js';
import type { RateLimitStore } from '../../../application/ports/rate-limit.port.js';
import { installIndex } from './index.route.js';
import { uploadLimits } from './multipart.js';
import { installDashboardPage } from '../report/dashboard.page.js';
import { installOpenApi } from './openapi.js';
import { installMetrics } from './hooks/metrics.hooks.js';
import type { Registry } from 'prom-client';
import { installRequestHooks, requestIdFrom } from './hooks/request.hooks.js';
import type { Draining } from './draining.js';

export interface HttpAppOptions {
  /** Providers for every port token (EVENT_STORE, READ_STORE, CLOCK, ...). */
  ports: Provider[];
  logger: Logger;
  store: ReadStore;
  clock: Clock;
  projections: Projections;
  tokens: Tokens;
  /** What a verified token is worth now (its session, its user's current state). */
  access: AccessCheck;
  /** Roles that must have MFA on before they may act (only enrolment, me and sign-out are open until then). */
  mfaRequiredRoles?: readonly Role[];
  /** Background jobs as `/metrics` counts them. */
  jobs: JobsOverview;
  /** More metrics `/metrics` serves (the job engine's, per queue). */
  metricRegistries?: Registry[];
  /** The password hasher's pool, for `/metrics`. */
  passwords: Pick<PasswordHasher, 'stats'>;
  bodyLimitBytes: number;
  /** Largest uploaded file (multipart routes): larger is a 413. */
  uploadMaxBytes: number;
  slowRequestMs: number;
  readWaitTimeoutMs: number;
  idempotencyTtlSeconds: number;
  /** Who else runs: whether the process that left a pending Idempotency-Key record is alive. */
  processes: ProcessRegistry;
  corsOrigins: string[];
  trustProxy: boolean | number | string[];
  rateLimitStore: RateLimitStore;
  rateLimits: { windowMs: number; limits: Record<RouteClass, number> };
  limits: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number; maxConnections: number };
  /** Bearer token `/metrics` asks for; unset: open. */
  metricsToken?: string;
  /** The process's drain state (bin/composition/shutdown.ts): while draining, answers close their connection. */
  draining?: Draining;
  /** Rentlog's version (package.json), shown by `GET /` and /openapi.json. */
  version: string;
  /** The deployment's one currency, used in the documented examples. */
  currency: string;
}

/**
 * Bodies are validated strictly (no coercion, unknown fields refused, every problem reported);
 * query strings, path parameters and headers arrive as text, so there types are coerced.
 */
function strictValidators(app: FastifyInstance): void {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv({ removeAdditional: false, coerceTypes, useDefaults: true, allErrors: true, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  const body = make(false);
  const text = make(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, for signatures computed over them (payment webhooks). */
    rawBody?: Buffer;
  }
}

/**
 * JSON bodies are parsed by Fastify's own parser (prototype-poisoning protection, the same errors),
 * their nesting is bounded (MAX_JSON_DEPTH), and their raw bytes are kept on `request.rawBody`.
 */
function keepRawJsonBody(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    request.rawBody = body as Buffer;
    // it parses a Buffer too (secure-json-parse)
    parseJson(request, body as unknown as string, (error, parsed) => {
      if (error) return done(error);
      if (depthExceeds(parsed, MAX_JSON_DEPTH))
        return done(
          new HttpError(HttpErrors.bodyTooDeep, `JSON bodies nest at most ${MAX_JSON_DEPTH} levels deep`),
          undefined,
        );
      done(null, parsed);
    });
  });
}

class NestToWinston implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug(String(message), { context });
  }
  error(message: unknown, stack?: string, context?: string) {
    this.logger.error(String(message), { stack, context });
  }
  warn(message: unknown, context?: string) {
    this.logger.warn(String(message), { context });
  }
}

export async function createHttpApp(options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes,
    genReqId: (req: { headers: Record<string, unknown> }) => requestIdFrom(req.headers['x-request-id']),
    logger: false,
    // While the listener closes (the end of a graceful stop), a request that still arrives on an open
    // keep-alive connection is served, with `Connection: close`, rather than refused with a 503 that a
    // load balancer would not retry for a POST: readiness turned 503 earlier (bin/composition/shutdown.ts).
    return503OnClosing: false,
    // Registered once at start with the upload limits; routes read their parts with readUpload.
    multipart: { limits: uploadLimits(options.uploadMaxBytes), throwFileSizeLimit: true },
    trustProxy: options.trustProxy as boolean | string[], // a hop count works too (Fastify's trustProxy: Integer)
    requestTimeout: options.limits.requestTimeoutMs,
    keepAliveTimeout: options.limits.keepAliveTimeoutMs,
    // Node checks the request and headers timeouts on this interval (30 s by default).
    http: {
      headersTimeout: options.limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, options.limits.requestTimeoutMs / 2),
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(HttpModule.register(options.ports), adapter, {
    logger: new NestToWinston(options.logger),
    bodyParser: false, // Fastify's own JSON parser only: no urlencoded bodies
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  (app.getHttpServer() as { maxConnections: number }).maxConnections = options.limits.maxConnections;
  strictValidators(fastify);
  // JSON only: any other content type is a 415 (Fastify would otherwise parse text/plain).
  fastify.removeContentTypeParser(['text/plain']);
  keepRawJsonBody(fastify, options.bodyLimitBytes);
  const openApiDocument = await installOpenApi(app, fastify, {
    version: options.version,
    clock: options.clock,
    currency: options.currency,
  });
  await installSecurity(fastify, { corsOrigins: options.corsOrigins });
  installRequestHooks(fastify, options);
  // While draining, every answer carries `Connection: close`: the connections a load balancer keeps
  // open to this process end one by one as they are used, before the listener closes (a request
  // sent on an idle connection just as the close reaches it would be reset, and not retried for a POST).
  const draining = options.draining;
  if (draining)
    fastify.addHook('onSend', async (_request, reply) => {
      if (draining.since !== undefined) reply.header('Connection', 'close');
    });
  installAuth(fastify, {
    tokens: options.tokens,
    access: options.access,
    mfaRequiredRoles: options.mfaRequiredRoles ?? [],
  });

  await installRateLimits(fastify, {
    ...options.rateLimits,
    store: options.rateLimitStore,
    clock: options.clock,
    logger: options.logger,
  });
  installMetrics(fastify, {
    projections: options.projections,
    passwords: options.passwords,
    store: options.store,
    clock: options.clock,
    jobs: options.jobs,
    registries: options.metricRegistries,
    currency: options.currency,
    token: options.metricsToken,
  });
  await installIdempotency(fastify, {
    store: options.store,
    clock: options.clock,
    ttlSeconds: options.idempotencyTtlSeconds,
    processes: options.processes,
  });
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => openApiDocument());
  installDashboardPage(fastify);
  installIndex(fastify, { version: options.version });
  await app.init();
  await fastify.ready();
  return app;
}
