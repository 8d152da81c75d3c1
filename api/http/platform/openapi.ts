import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { DOCS_CSP } from './hooks/security.hooks.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Clock } from '../../../application/ports/clock.port.js';
import { problemSchema } from './common.schemas.js';
import { routeAccess, type Access } from './hooks/auth.hooks.js';

export interface OpenApiOptions {
  version: string;
  clock: Clock;
  /** The deployment's one currency, put into the examples. */
  currency: string;
}

const tags = [
  { name: 'platform', description: 'What every deployment serves: the index, health' },
  { name: 'identity', description: 'Sign up, sign in, tokens, users' },
  { name: 'catalog', description: 'Products, prices, stock, availability' },
  { name: 'customers', description: 'Customer records' },
  { name: 'orders', description: 'Rental orders from reservation to close' },
  { name: 'payments', description: 'Payments, captures, refunds, provider webhooks' },
  { name: 'audit', description: 'The complete history, for auditors' },
  { name: 'analytics', description: 'Read models: status and rebuilds' },
];

const headerParams = {
  idempotencyKey: {
    type: 'string',
    pattern: '^[\\x21-\\x7e]{1,255}$',
    description:
      'The same key with the same body within the TTL answers the first response again; another body is a 422',
  },
  minPosition: {
    type: 'string',
    pattern: '^[0-9]{1,20}$',
    description:
      "A command's position: the answer waits until the read models show it (503 READ_MODEL_LAGGING after the wait)",
  },
  ifMatch: {
    type: 'string',
    description: 'The ETag ("<revision>") of a GET: a 412 PRECONDITION_FAILED when the stream has moved on',
  },
} as const;

const whoCanCall = (access: Access): string =>
  access === 'anyone'
    ? 'Open to anyone.'
    : access === 'signed-in'
      ? 'Any signed-in user.'
      : access.length === 0
        ? 'Closed to everyone.'
        : `Roles: ${access.join(', ')}.`;

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown>; description?: string };

/**
 * The route as documented: who may call it (`x-access`, the security scheme, a line of description,
 * 401/403), and the headers the hooks read (Idempotency-Key on POSTs that keep answers, X-Min-Position
 * on GETs of read models, If-Match where a 412 can come), all from the route's own config, so the
 * document cannot drift from what is enforced.
 */
function documentRoute({ schema, url, route }: { schema: unknown; url: string; route: RouteOptions }) {
  const config = (route.config ?? {}) as { access?: Access; idempotency?: boolean; readModels?: string[] };
  const access = routeAccess(config.access, url);
  const original = (schema ?? {}) as RouteSchema;
  const documented: RouteSchema = {
    ...original,
    'x-access': access === 'anyone' || access === 'signed-in' ? access : [...access],
    description: [whoCanCall(access), original.description].filter(Boolean).join(' '),
  };
  if (access !== 'anyone') {
    documented.security = [{ bearer: [] }];
    documented.response = {
      ...original.response,
      401: problemSchema,
      ...(access === 'signed-in' ? {} : { 403: problemSchema }),
    };
  }
  const methods = [route.method].flat();
  const headers: Record<string, unknown> = {};
  if (methods.includes('POST') && config.idempotency !== false)
    headers['idempotency-key'] = headerParams.idempotencyKey;
  if (methods.includes('GET') && config.readModels) headers['x-min-position'] = headerParams.minPosition;
  if (documented.response && '412' in documented.response) headers['if-match'] = headerParams.ifMatch;
  if (Object.keys(headers).length > 0) documented.headers = { type: 'object', properties: headers };
  return { schema: documented, url };
}

const PLACEHOLDER = /^\{\{(?:currency|today([+-])(\d+))\}\}$/;

/** The document with its example placeholders filled in (common.schemas.ts): dates from `now`, the currency. */
export function fillExamples<T>(value: T, now: Date, currency: string): T {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    if (!match) return value;
    if (!match[1]) return currency as T;
    const days = Number(match[2]) * (match[1] === '-' ? -1 : 1);
    return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fillExamples(v, now, currency)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillExamples(v, now, currency)])) as T;
  return value;
}

/**
 * The OpenAPI document and the Swagger UI at `/docs`, generated from the JSON schemas that validate the
 * routes, with the roles and headers of each route and examples that work when "Try it out" sends them.
 * Answers the document as served (placeholders filled in), for `GET /openapi.json`.
 */
export async function installOpenApi(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  options: OpenApiOptions,
): Promise<() => unknown> {
  await app.register(fastifySwagger as never, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rentlog API',
        version: options.version,
        description:
          'Event-sourced rental management. Errors are RFC 9457 problem details with a stable code. Sign in with POST /v1/auth/login, then Authorize with the accessToken.',
      },
      tags,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'The accessToken of POST /v1/auth/login',
          },
        },
      },
    },
    transform: documentRoute,
  });
  const served = (document: unknown) => fillExamples(document, options.clock.now(), options.currency);
  await app.register(fastifySwaggerUi as never, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    transformSpecification: served,
    uiConfig: { persistAuthorization: true },
  });
  return () => served(fastify.swagger());
}
