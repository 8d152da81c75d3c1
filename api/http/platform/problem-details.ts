import { HttpException } from '@nestjs/common';
import { ConcurrencyError, NotFoundError, PreconditionFailedError } from '../../../application/shared/application-errors.js';
import { DomainError, type DomainErrorKind } from '../../../domain/shared/domain-error.js';

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
}

/** The status of each kind of domain error: one place, as Fastify's lib/errors.js does. */
const statusOfKind: Record<DomainErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409 };

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problemType = (code: string): string => `/problems/${code.toLowerCase().replace(/_/g, '-')}`;

export function problem(status: number, code: string, detail: string, errors?: ReadonlyArray<Record<string, unknown>>): Problem {
  return { type: problemType(code), title: titles[status] ?? 'Error', status, detail, code, ...(errors && errors.length > 0 ? { errors } : {}) };
}

/** An error the HTTP layer raises itself (503 lagging read model, 422 reused idempotency key, ...). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly headers: Record<string, string> = {},
    readonly errors?: ReadonlyArray<Record<string, unknown>>,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

interface FastifyLikeError extends Error {
  code?: string;
  statusCode?: number;
  validation?: Array<{ instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }>;
  validationContext?: string;
}

/** Maps anything thrown to a problem; `internal` tells the caller to log it as a server fault. */
export function toProblem(error: unknown): ProblemResponse & { internal: boolean } {
  const plain = (p: Problem, headers: Record<string, string> = {}) => ({ problem: p, headers, internal: false });
  if (error instanceof ProblemError) return plain(problem(error.status, error.code, error.message, error.errors), error.headers);
  if (error instanceof DomainError) return plain(problem(statusOfKind[error.kind], error.code, error.message, error.errors));
  if (error instanceof PreconditionFailedError) return plain(problem(412, error.code, error.message));
  if (error instanceof ConcurrencyError) return plain(problem(409, error.code, error.message), { 'Retry-After': '1' });
  if (error instanceof NotFoundError) return plain(problem(404, error.code, error.message));
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own client errors (bad JSON, body too large); answer for the original.
    const cause = (error as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && (cause as FastifyLikeError).code?.startsWith('FST_')) return toProblem(cause);
    const status = error.getStatus();
    return { problem: problem(status, `HTTP_${status}`, error.message), headers: {}, internal: status >= 500 };
  }
  const e = error as FastifyLikeError;
  if (e?.validation) {
    const part = e.validationContext ?? 'body';
    const errors = e.validation.map((v) => ({ field: fieldOf(part, v), message: v.message ?? v.keyword }));
    return plain(problem(400, 'VALIDATION_FAILED', `The request ${part} is not valid`, errors));
  }
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return plain(problem(413, 'BODY_TOO_LARGE', e.message));
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return plain(problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON with Content-Type: application/json'));
  if (e?.name === 'SyntaxError' || e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return plain(problem(400, 'MALFORMED_JSON', 'The body is not valid JSON'));
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return plain(problem(e.statusCode, e.code ?? `HTTP_${e.statusCode}`, e.message));
  }
  return { problem: problem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged'), headers: {}, internal: true };
}

function fieldOf(part: string, v: { instancePath: string; params: Record<string, unknown> }): string {
  const extra = (v.params.additionalProperty ?? v.params.missingProperty) as string | undefined;
  const path = [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), extra].filter(Boolean).join('.');
  return part === 'body' ? path || '(body)' : `${part}${path ? `.${path}` : ''}`;
}
