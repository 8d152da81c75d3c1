import { STATUS_CODES } from 'node:http';
import type { RouteOptions } from 'fastify';
import { problemSchema } from './common.schemas.js';
import { routeAccess, type Access } from './hooks/auth.hooks.js';

/*
 * How one route is documented in /openapi.json, derived from what the platform enforces on it (its
 * `access`, `idempotency` and `readModels` config, its method, path and validation schemas), so that
 * a new route is documented fully without writing any of this, and the document cannot drift from
 * the hooks: who may call it (security, `x-access`, a line of description), the headers the hooks
 * read, and every problem the platform itself can answer. A route declares only what its own
 * handlers add (a 404 of a domain lookup, a 409 of a domain rule, a 412 where `If-Match` is read,
 * a 503 where passwords are hashed); the Spectral lint of `npm test` names a route that forgets one.
 */

/** Header parameters the hooks read. Authorization and X-API-Key are the security schemes. */
export const HEADER_PARAMS = {
  'Idempotency-Key': {
    type: 'string',
    pattern: '^[\\x21-\\x7e]{1,255}$',
    description:
      'The same key with the same body within the TTL answers the first response again (Idempotent-Replayed: true); another body is a 422',
  },
  'X-Min-Position': {
    type: 'string',
    pattern: '^[0-9]{1,20}$',
    description:
      "A command's position: the answer waits until the read models show it (503 READ_MODEL_LAGGING after the wait)",
  },
  'If-Match': {
    type: 'string',
    description: 'The ETag ("<revision>") of a GET: a 412 PRECONDITION_FAILED when the stream has moved on',
  },
} as const;

const retryAfter = { type: 'integer', description: 'Seconds to wait before trying again' } as const;

/** What each problem status means wherever the platform answers it, and the headers it carries. */
export const PROBLEM_STATUSES: Record<number, { description: string; headers?: Record<string, object> }> = {
  400: {
    description:
      'Not valid: VALIDATION_FAILED (every field in `errors`), MALFORMED_JSON, BODY_TOO_DEEP, or a rule of the route',
  },
  401: {
    description: 'UNAUTHENTICATED (no token) or INVALID_TOKEN (not valid, expired, its session ended)',
    headers: { 'WWW-Authenticate': { type: 'string', description: 'Bearer' } },
  },
  403: { description: "FORBIDDEN: the caller holds none of the route's roles" },
  404: { description: "Not found: the resource the path names is unknown (or not the caller's own)" },
  409: {
    description:
      'Conflict with the current state: a rule of the route, CONCURRENCY_CONFLICT or IDEMPOTENCY_IN_PROGRESS',
    headers: { 'Retry-After': retryAfter },
  },
  410: { description: 'Gone: STREAM_DELETED, the stream was deleted' },
  412: { description: 'PRECONDITION_FAILED: If-Match names another revision than the current one' },
  413: {
    description:
      'BODY_TOO_LARGE (over BODY_LIMIT_BYTES, or a file over UPLOAD_MAX_BYTES) or EVENTS_TOO_LARGE (more than the event store takes)',
  },
  415: {
    description:
      'UNSUPPORTED_MEDIA_TYPE: send Content-Type: application/json (multipart/form-data to upload routes, whose files are judged by their bytes)',
  },
  422: { description: 'IDEMPOTENCY_KEY_REUSED: this Idempotency-Key came with another body' },
  429: {
    description: 'RATE_LIMITED: over the budget of the route class (or a sign-in lockout, where the route says so)',
    headers: {
      'Retry-After': retryAfter,
      'RateLimit-Limit': { type: 'integer' },
      'RateLimit-Remaining': { type: 'integer' },
      'RateLimit-Reset': { type: 'integer' },
    },
  },
  500: { description: 'INTERNAL: a fault on the server side, logged' },
  502: { description: 'An upstream provider cannot be reached or answered an error (PAYMENT_GATEWAY_ERROR)' },
  503: {
    description:
      'READ_MODEL_LAGGING (after the X-Min-Position wait), SERVICE_BUSY or PAYMENT_GATEWAY_UNAVAILABLE; retry later',
    headers: { 'Retry-After': retryAfter },
  },
};

const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

interface RouteConfig {
  access?: Access;
  idempotency?: boolean;
  readModels?: string[];
  /** A multipart upload route: the form's parts (read by readUpload, so not validated by Fastify), documented as its body. */
  upload?: Record<string, unknown>;
}

type RouteSchema = Record<string, unknown> & {
  response?: Record<string, unknown>;
  description?: string;
  operationId?: string;
};

const whoCanCall = (access: Access): string =>
  access === 'anyone'
    ? 'Open to anyone.'
    : access === 'signed-in'
      ? 'Any signed-in user.'
      : access.length === 0
        ? 'Closed to everyone.'
        : `Roles: ${access.join(', ')}.`;

/**
 * Who may call: an empty list for routes open to anyone; a bearer access token for a signed-in user's
 * own routes; a bearer token or an API key (`X-API-Key`, acting with its roles) on routes with roles.
 */
const securityOf = (access: Access): Array<Record<string, string[]>> =>
  access === 'anyone' ? [] : access === 'signed-in' ? [{ bearer: [] }] : [{ bearer: [] }, { apiKey: [] }];

/** `POST /v1/orders/:id/confirm` -> `postOrdersByIdConfirm`: unique, stable, unless the route names its own. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((part) => part !== '' && part !== 'v1')
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return (
    method.toLowerCase() + (words.length === 0 ? ['index'] : words).map((w) => w[0].toUpperCase() + w.slice(1)).join('')
  );
}

/** The problem statuses the platform answers on this route, whatever its handler does. */
function platformStatuses(methods: string[], url: string, access: Access, config: RouteConfig, schema: RouteSchema) {
  const statuses = new Set<number>();
  const hasBody = methods.some((m) => BODY_METHODS.includes(m));
  const idempotent = methods.includes('POST') && config.idempotency !== false;
  const readsModels = methods.includes('GET') && !!config.readModels;
  if (hasBody || idempotent || readsModels || schema.params || schema.querystring) statuses.add(400);
  if (access !== 'anyone') statuses.add(401);
  if (Array.isArray(access)) statuses.add(403);
  if (idempotent) statuses.add(422);
  if (url.startsWith('/v1/') && !methods.includes('GET')) statuses.add(409); // CONCURRENCY_CONFLICT of the command path
  if (hasBody) [413, 415].forEach((s) => statuses.add(s));
  if (url.startsWith('/v1/')) statuses.add(429);
  if (readsModels) statuses.add(503);
  return statuses;
}

const problemResponse = (status: number) => ({
  description: PROBLEM_STATUSES[status]?.description ?? 'A problem',
  ...(PROBLEM_STATUSES[status]?.headers ? { headers: PROBLEM_STATUSES[status].headers } : {}),
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** @fastify/swagger's `transform`: the route as documented (see the top of this file). */
export function documentRoute({ schema, url, route }: { schema: unknown; url: string; route: RouteOptions }) {
  const config = (route.config ?? {}) as RouteConfig;
  const access = routeAccess(config.access, url);
  const original = (schema ?? {}) as RouteSchema;
  const methods = [route.method].flat().map(String);
  const response: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(original.response ?? {}))
    response[status] =
      answer === problemSchema
        ? problemResponse(Number(status))
        : { description: STATUS_CODES[status] ?? status, ...(answer as object) };
  for (const status of platformStatuses(methods, url, access, config, original))
    response[status] ??= problemResponse(status);

  const headers: Record<string, unknown> = {};
  if (methods.includes('POST') && config.idempotency !== false)
    headers['Idempotency-Key'] = HEADER_PARAMS['Idempotency-Key'];
  if (methods.includes('GET') && config.readModels) headers['X-Min-Position'] = HEADER_PARAMS['X-Min-Position'];
  if ('412' in response) headers['If-Match'] = HEADER_PARAMS['If-Match'];

  const documented: RouteSchema = {
    ...original,
    operationId: original.operationId ?? operationIdOf(methods[0], url),
    'x-access': access === 'anyone' || access === 'signed-in' ? access : [...access],
    description: [whoCanCall(access), original.description].filter(Boolean).join(' '),
    security: securityOf(access),
    response,
    ...(config.upload ? { body: { type: 'object', ...config.upload }, consumes: ['multipart/form-data'] } : {}),
    ...(Object.keys(headers).length > 0 ? { headers: { type: 'object', properties: headers } } : {}),
  };
  return { schema: documented, url };
}
