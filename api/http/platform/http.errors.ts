import type { ErrorCode } from '../../../application/shared/error-codes.js';

/** Codes the HTTP layer raises itself (the request, not a business rule, is wrong). Status and title: error-catalog.ts. */
export const HttpErrors = {
  validationFailed: 'VALIDATION_FAILED',
  malformedJson: 'MALFORMED_JSON',
  bodyTooDeep: 'BODY_TOO_DEEP',
  bodyTooLarge: 'BODY_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** A multipart upload without its one `file`, with a second file, too many or unknown fields. */
  uploadInvalid: 'UPLOAD_INVALID',
  uploadEmpty: 'UPLOAD_EMPTY',
  unauthenticated: 'UNAUTHENTICATED',
  invalidToken: 'INVALID_TOKEN',
  /** An `X-API-Key` that is malformed, unknown, revoked or expired (one answer for all). */
  invalidApiKey: 'INVALID_API_KEY',

  forbidden: 'FORBIDDEN',
  routeNotFound: 'ROUTE_NOT_FOUND',
  readModelLagging: 'READ_MODEL_LAGGING',
  rateLimited: 'RATE_LIMITED',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  idempotencyInProgress: 'IDEMPOTENCY_IN_PROGRESS',
  internal: 'INTERNAL',
} as const;

export type HttpErrorCode = (typeof HttpErrors)[keyof typeof HttpErrors];

/**
 * An error the HTTP layer raises (a lagging read model, a reused idempotency key, a malformed If-Match,
 * ...); its status and title come from the catalog.
 */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode | ErrorCode,
    detail: string,
    readonly extra: { headers?: Record<string, string>; errors?: ReadonlyArray<Record<string, unknown>> } = {},
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}
