import type { Money } from '../../domain/shared/money.js';

export const PAYMENT_GATEWAY = Symbol('PaymentGateway');

export type AuthorizeResult =
  | { outcome: 'authorized'; providerRef: string }
  | { outcome: 'declined'; reason: string }
  /** The provider decides later and says so with a signed webhook. */
  | { outcome: 'pending'; providerRef: string };

/** What the provider says of a payment when asked again (reconciliation of a payment left pending). */
export type ProviderPaymentStatus =
  | { outcome: 'authorized'; providerRef: string; amount: Money }
  | { outcome: 'declined'; reason: string }
  /** The provider has not decided yet: asked again on the next run. */
  | { outcome: 'pending' }
  /** The provider has no such payment: the authorization never reached it. */
  | { outcome: 'unknown' };

/** Why a webhook's signature was refused. */
export type WebhookCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * A call the provider did not answer: `timeout` (no answer in time; it may have acted), `unavailable`
 * (refused, or answered 503), `server_error` (any other 5xx, or an answer that makes no sense). Each is
 * worth retrying with the same idempotency key; any other error is not.
 */
export class PaymentGatewayError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unavailable' | 'server_error',
    message: string,
  ) {
    super(message);
    this.name = 'PaymentGatewayError';
  }
}

/** A call that moves money: the provider performs it once per `idempotencyKey`, however often it is sent. */
export interface MoneyMovement {
  paymentId: string;
  providerRef: string;
  amount: Money;
  idempotencyKey: string;
}

/**
 * A payment provider. Its adapter also knows how the provider signs its webhooks, so the route that
 * receives them asks it to verify the raw body before anything in it is trusted. A call the provider
 * does not answer throws a `PaymentGatewayError`.
 */
export interface PaymentGateway {
  /** The provider's name: the `{provider}` of `/v1/payments/webhooks/{provider}`. */
  readonly provider: string;
  authorize(request: { paymentId: string; amount: Money; paymentMethod: string }): Promise<AuthorizeResult>;
  capture(request: MoneyMovement): Promise<{ providerRef: string }>;
  refund(request: MoneyMovement): Promise<{ providerRef: string }>;
  /** Asks the provider how a payment stands (by Rentlog's payment id, which the authorization carried). */
  status(request: { paymentId: string; amount: Money; paymentMethod: string }): Promise<ProviderPaymentStatus>;
  /** Checks the signature header over the exact bytes received. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): WebhookCheck;
  /** Stops background work (webhooks the sandbox still has to send). */
  close(): Promise<void>;
}
