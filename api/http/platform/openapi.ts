import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { DOCS_CSP } from './hooks/security.hooks.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../../application/ports/clock.port.js';
import { problemSchema } from './common.schemas.js';
import { documentRoute } from './openapi-route.js';

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
  { name: 'operations', description: 'Background work: queues, schedules, workers, dead jobs' },
];

type Document = Record<string, unknown> & {
  paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
  components?: Record<string, Record<string, unknown>>;
};

/**
 * Every problem answer of the document points at one `Problem` schema (RFC 9457, with the stable
 * `code`), as `application/problem+json`, the content type the problem filter sends.
 */
function withProblemShape(document: Document): Document {
  for (const operations of Object.values(document.paths ?? {}))
    for (const operation of Object.values(operations))
      for (const answer of Object.values(operation.responses ?? {}))
        if (answer.content?.['application/problem+json'])
          answer.content['application/problem+json'] = { schema: { $ref: '#/components/schemas/Problem' } };
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: problemSchema },
  };
  return document;
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
            description: 'The accessToken of POST /v1/auth/login (or of an OIDC sign-in, or a refresh)',
          },
          apiKey: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description: 'An API key for service-to-service calls, scoped to roles (created by an admin)',
          },
        },
      },
    },
    transform: documentRoute,
    transformObject: ({ openapiObject }: { openapiObject: Record<string, unknown> }) => withProblemShape(openapiObject),
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
