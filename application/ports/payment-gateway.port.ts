import type { Money } from '../../domain/shared/money.js';

export const PAYMENT_GATEWAY = Symbol('PaymentGateway');

export type AuthorizeResult =
  | { outcome: 'authorized'; providerRef: string }
  | { outcome: 'declined'; reason: string }
  /** The provider decides later and says so with a signed webhook. */
  | { outcome: 'pending'; providerRef: string };

/** Why a webhook's signature was refused. */
export type WebhookCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * A payment provider. Its adapter also knows how the provider signs its webhooks, so the route that
 * receives them asks it to verify the raw body before anything in it is trusted.
 */
export interface PaymentGateway {
  /** The provider's name: the `{provider}` of `/v1/payments/webhooks/{provider}`. */
  readonly provider: string;
  authorize(request: { paymentId: string; amount: Money; paymentMethod: string }): Promise<AuthorizeResult>;
  capture(request: { paymentId: string; providerRef: string; amount: Money }): Promise<{ providerRef: string }>;
  refund(request: { paymentId: string; providerRef: string; amount: Money }): Promise<{ providerRef: string }>;
  /** Checks the signature header over the exact bytes received. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): WebhookCheck;
  /** Stops background work (webhooks the sandbox still has to send). */
  close(): Promise<void>;
}
