import type { ErrorCode } from '../../../application/shared/error-codes.js';
import type { HttpErrorCode } from './http.errors.js';

export interface CatalogEntry {
  status: number;
  /** RFC 9457 `title`: the same for every occurrence of the code. */
  title: string;
  /** Headers every answer with this code carries. */
  headers?: Record<string, string>;
}

const retry = { 'Retry-After': '1' };
const bearer = { 'WWW-Authenticate': 'Bearer realm="rentlog"' };

/**
 * Every problem code Rentlog answers, with its HTTP status and title: the one place that maps codes to
 * HTTP (as Fastify's lib/errors.js). The type makes the compiler refuse a code that is declared
 * without an entry here, and an entry for a code that is declared nowhere; docs/errors.md is generated
 * from this (`npm run docs:errors`), and tests/unit/api/error-catalog.test.ts fails when they differ.
 */
export const errorCatalog: Record<ErrorCode | HttpErrorCode, CatalogEntry> = {
  // The request itself
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON' },
  BODY_TOO_DEEP: { status: 400, title: 'The body is nested too deeply' },
  BODY_TOO_LARGE: { status: 413, title: 'The body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  UPLOAD_INVALID: { status: 400, title: 'The upload is not valid' },
  UPLOAD_EMPTY: { status: 400, title: 'The uploaded file is empty' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  INVALID_CURSOR: { status: 400, title: 'The page cursor is not valid for this list' },
  PRECONDITION_FAILED: { status: 412, title: 'The resource has changed (If-Match)' },
  CONCURRENCY_CONFLICT: { status: 409, title: 'Too many concurrent changes; retry', headers: retry },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused with another body' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is in progress', headers: retry },
  READ_MODEL_LAGGING: { status: 503, title: 'The read model has not caught up yet', headers: retry },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  EVENTS_TOO_LARGE: { status: 413, title: 'The change is too large to record' },
  POSITION_INVALID: { status: 400, title: 'Not a position of the event log' },
  STREAM_DELETED: { status: 410, title: 'The stream was deleted' },
  STORAGE_FAILED: {
    status: 503,
    title: 'A store failed a write with an I/O error',
    headers: { 'Retry-After': '30' },
  },
  STORAGE_FULL: { status: 503, title: 'No space left on the disk of a store', headers: { 'Retry-After': '10' } },
  INTERNAL: { status: 500, title: 'Internal error' },
  PERSONAL_DATA_UNREADABLE: { status: 500, title: 'Stored personal data failed its integrity check' },
  // Who is asking
  UNAUTHENTICATED: { status: 401, title: 'Sign in first', headers: bearer },
  INVALID_TOKEN: {
    status: 401,
    title: 'The access token is not valid',
    headers: { 'WWW-Authenticate': 'Bearer realm="rentlog", error="invalid_token"' },
  },
  INVALID_API_KEY: { status: 401, title: 'The API key is not valid' },
  FORBIDDEN: { status: 403, title: 'Not allowed for your roles' },

  INVALID_CREDENTIALS: { status: 401, title: 'Wrong email or password' },
  INVALID_REFRESH_TOKEN: { status: 401, title: 'The refresh token is not valid' },
  // Values
  MONEY_INVALID: { status: 400, title: 'Not a valid amount of money' },
  CURRENCY_NOT_SUPPORTED: { status: 400, title: 'Currency not accepted' },
  DATE_INVALID: { status: 400, title: 'Not a calendar date' },
  // Catalog
  PRODUCT_INVALID: { status: 400, title: 'The product is not valid' },
  PRODUCT_NOT_FOUND: { status: 404, title: 'Product not found' },
  PRODUCT_ALREADY_REGISTERED: { status: 409, title: 'Product already registered' },
  PRODUCT_RETIRED: { status: 409, title: 'The product is retired' },
  SKU_TAKEN: { status: 409, title: 'SKU already in use' },
  STOCK_BELOW_ZERO: { status: 409, title: 'Stock cannot drop below zero' },
  STOCK_BELOW_BOOKINGS: { status: 409, title: 'Stock cannot drop below units booked' },
  UNITS_UNAVAILABLE: { status: 409, title: 'Not enough units available' },
  HOLD_NOT_FOUND: { status: 409, title: 'No units are held for this order' },
  HOLD_EXPIRED: { status: 409, title: 'The hold on the units has expired' },
  // Orders
  ORDER_INVALID: { status: 400, title: 'The order is not valid' },
  HOLD_LIMIT_REACHED: { status: 409, title: 'The customer holds as many orders or units as it may' },
  RENTAL_TOO_LONG: { status: 400, title: 'The rental is longer than a customer may book' },

  ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  ORDER_ALREADY_PLACED: { status: 409, title: 'Order already placed' },
  ORDER_NOT_CONFIRMABLE: { status: 409, title: 'The order cannot be confirmed now' },
  ORDER_HOLD_EXPIRED: { status: 409, title: "The order's hold has expired" },
  DEPOSIT_NOT_COVERED: { status: 409, title: 'The deposit is not covered yet' },
  ORDER_NOT_EXTENDABLE: { status: 409, title: 'The order cannot be extended now' },
  ORDER_NOT_CANCELLABLE: { status: 409, title: 'The order cannot be cancelled now' },
  ORDER_NOT_EXPIRABLE: { status: 409, title: 'The order cannot expire now' },
  ORDER_NOT_PICKABLE: { status: 409, title: 'The order cannot be picked up now' },
  ORDER_NOT_RETURNABLE: { status: 409, title: 'The order cannot be returned now' },
  ORDER_NOT_CLOSABLE: { status: 409, title: 'The order cannot be closed now' },
  BALANCE_OPEN: { status: 409, title: 'The balance is not settled' },
  ORDER_NOT_PAYABLE: { status: 409, title: 'The order takes no payments' },
  PAYMENT_EXCEEDS_BALANCE: { status: 409, title: 'More than the open balance' },
  ORDER_NOT_REFUNDABLE: { status: 409, title: 'The order takes no refunds' },
  ORDER_NOT_PHOTOGRAPHABLE: { status: 409, title: 'The order takes no damage photos now' },
  DAMAGE_PHOTO_UNKNOWN: { status: 409, title: 'A damage names a photo this order does not have' },
  ORDER_PHOTO_NOT_FOUND: { status: 404, title: 'Photo not found' },
  // Payments
  PAYMENT_INVALID: { status: 400, title: 'The payment is not valid' },
  PAYMENT_NOT_FOUND: { status: 404, title: 'Payment not found' },
  PAYMENT_PROVIDER_NOT_FOUND: { status: 404, title: 'No such payment provider' },
  PAYMENT_ALREADY_REQUESTED: { status: 409, title: 'Payment already requested' },
  PAYMENT_NOT_CAPTURABLE: { status: 409, title: 'The payment cannot be captured now' },
  CAPTURE_EXCEEDS_AUTHORIZED: { status: 409, title: 'More than the authorized amount' },
  PAYMENT_NOT_REFUNDABLE: { status: 409, title: 'The payment cannot be refunded now' },
  REFUND_EXCEEDS_CAPTURED: { status: 409, title: 'More than the captured amount' },
  PAYMENT_NOT_PENDING: { status: 409, title: 'The payment is settled already' },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, title: 'The webhook signature is not valid' },
  PAYMENT_GATEWAY_ERROR: { status: 502, title: 'The payment provider answered with an error' },
  PAYMENT_GATEWAY_UNAVAILABLE: {
    status: 503,
    title: 'The payment provider cannot be reached; retry later',
    headers: { 'Retry-After': '30' },
  },
  // Customers
  CUSTOMER_INVALID: { status: 400, title: 'The customer is not valid' },
  CUSTOMER_NOT_FOUND: { status: 404, title: 'Customer not found' },
  CUSTOMER_ALREADY_REGISTERED: { status: 409, title: 'Customer already registered' },
  CUSTOMER_DOCUMENT_NOT_FOUND: { status: 404, title: 'Document not found' },
  // Identity
  USER_INVALID: { status: 400, title: 'The user is not valid' },
  PASSWORD_POLICY: { status: 400, title: 'The password does not meet the policy' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  USER_ALREADY_REGISTERED: { status: 409, title: 'User already registered' },
  EMAIL_TAKEN: { status: 409, title: 'Email already registered' },
  SESSION_ALREADY_STARTED: { status: 409, title: 'Session already started' },
  SESSION_NOT_FOUND: { status: 404, title: 'Session not found' },
  CURRENT_PASSWORD_INCORRECT: { status: 400, title: 'The current password is not correct' },
  SIGN_IN_LOCKED: { status: 429, title: 'Too many failed sign-ins for this email' },
  SIGN_IN_THROTTLED: { status: 429, title: 'Too many failed sign-ins from this address' },
  PASSWORD_RESET_TOKEN_INVALID: { status: 400, title: 'The password reset link is not valid' },

  SERVICE_BUSY: { status: 503, title: 'Too busy to check passwords now; retry', headers: retry },
  EXTERNAL_IDENTITY_TAKEN: { status: 409, title: 'External identity linked to another user' },
  OIDC_PROVIDER_NOT_FOUND: { status: 404, title: 'No such sign-in provider' },
  OIDC_STATE_INVALID: { status: 400, title: 'The sign-in state is not valid' },
  OIDC_CODE_INVALID: { status: 400, title: 'The authorization code is not valid' },
  OIDC_EMAIL_NOT_VERIFIED: { status: 403, title: 'The provider has not verified the email' },
  OIDC_PROVIDER_UNAVAILABLE: { status: 502, title: 'The identity provider cannot be reached' },
  API_KEY_DEFINITION_INVALID: { status: 400, title: 'The API key is not valid' },
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  MFA_REQUIRED: { status: 401, title: 'A one-time code is needed' },
  MFA_ENROLMENT_REQUIRED: { status: 403, title: 'Turn on multi-factor authentication first' },
  MFA_ALREADY_ENABLED: { status: 409, title: 'Multi-factor authentication is on already' },
  MFA_NOT_ENABLED: { status: 409, title: 'Multi-factor authentication is not on' },
  MFA_ENROLMENT_NOT_STARTED: { status: 409, title: 'No multi-factor enrolment waits for a code' },
  MFA_CODE_INVALID: { status: 400, title: 'The one-time code is not correct' },

  // The read side
  PROJECTION_NOT_FOUND: { status: 404, title: 'Projection not found' },
  JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  JOB_NOT_DEAD: { status: 409, title: 'Only a dead job can be retried' },
  // Audit
  AUDIT_CHECKPOINT_STALE: { status: 409, title: 'Another checkpoint was recorded meanwhile; retry', headers: retry },
  AUDIT_EXPORT_RECORDED: { status: 409, title: 'This export is recorded already' },
  READ_MODEL_NOT_READY: { status: 503, title: 'The point-in-time read model is still being built', headers: retry },
  DOCUMENT_NOT_FOUND: { status: 404, title: 'No such document in this read model' },
};
