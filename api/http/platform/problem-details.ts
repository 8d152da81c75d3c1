import { HttpException } from '@nestjs/common';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { errorCatalog, type CatalogEntry } from './error-catalog.js';
import { HttpError, HttpErrors } from './http.errors.js';

/** RFC 9457 problem details, with the stable `code` as an extension member. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: ReadonlyArray<Record<string, unknown>>;
}

export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
  /** A server fault: log it, never show it. */
  internal: boolean;
}

export const problemType = (code: string): string => `/problems/${code.toLowerCase().replace(/_/g, '-')}`;

const entryOf = (code: string): CatalogEntry | undefined =>
  Object.hasOwn(errorCatalog, code) ? errorCatalog[code as keyof typeof errorCatalog] : undefined;

/** The problem for a catalogued code; every status and title comes from the catalog. */
export function problemFor(
  code: string,
  detail: string,
  extra: { headers?: Record<string, string>; errors?: ReadonlyArray<Record<string, unknown>> } = {},
): ProblemResponse {
  const entry = entryOf(code);
  if (!entry) return internalProblem();
  const problem: Problem = {
    type: problemType(code),
    title: entry.title,
    status: entry.status,
    detail,
    code,
    ...(extra.errors && extra.errors.length > 0 ? { errors: extra.errors } : {}),
  };
  return {
    problem,
    headers: { ...entry.headers, ...extra.headers },
    // A 5xx with Retry-After is a state the service is in (busy, a full disk), said where it begins: no stack per request.
    internal: entry.status >= 500 && entry.headers?.['Retry-After'] === undefined,
  };
}

const internalProblem = (): ProblemResponse => ({
  ...problemFor(HttpErrors.internal, 'Something went wrong on our side; it has been logged'),
  internal: true,
});

interface FastifyLikeError extends Error {
  code?: string;
  statusCode?: number;
  validation?: Array<{ instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }>;
  validationContext?: string;
}

/** Fastify's own client errors, by their code. */
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: HttpErrors.bodyTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: HttpErrors.unsupportedMediaType,
  FST_ERR_CTP_EMPTY_JSON_BODY: HttpErrors.malformedJson,
  FST_ERR_CTP_INVALID_JSON_BODY: HttpErrors.malformedJson,
};

/** Maps anything thrown to a problem: the only place where errors become HTTP answers. */
export function toProblem(error: unknown): ProblemResponse {
  if (error instanceof HttpError) return problemFor(error.code, error.message, error.extra);
  if (error instanceof DomainError) {
    const retry =
      error.retryAfterSeconds === undefined
        ? {}
        : { headers: { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) } };
    return problemFor(error.code, error.message, { errors: error.errors, ...retry });
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own client errors (bad JSON, body too large); answer for the original.
    const cause = (error as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && (cause as FastifyLikeError).code?.startsWith('FST_'))
      return toProblem(cause);
    if (error.getStatus() === 404) return problemFor(HttpErrors.routeNotFound, error.message);
    return internalProblem();
  }
  const e = error as FastifyLikeError;
  if (e?.validation) {
    const part = e.validationContext ?? 'body';
    const errors = e.validation.map((v) => ({ field: fieldOf(part, v), message: v.message ?? v.keyword }));
    return problemFor(HttpErrors.validationFailed, `The request ${part} is not valid`, { errors });
  }
  const fastifyCode = e?.code === undefined ? undefined : fastifyCodes[e.code];
  if (fastifyCode === HttpErrors.unsupportedMediaType)
    return problemFor(fastifyCode, 'Send JSON with Content-Type: application/json');
  if (fastifyCode === HttpErrors.malformedJson || e?.name === 'SyntaxError')
    return problemFor(HttpErrors.malformedJson, 'The body is not valid JSON');
  if (fastifyCode) return problemFor(fastifyCode, e.message);
  return internalProblem();
}

function fieldOf(part: string, v: { instancePath: string; params: Record<string, unknown> }): string {
  const extra = (v.params.additionalProperty ?? v.params.missingProperty) as string | undefined;
  const path = [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), extra].filter(Boolean).join('.');
  return part === 'body' ? path || '(body)' : `${part}${path ? `.${path}` : ''}`;
}
