import { setTimeout as sleep } from 'node:timers/promises';
import { PaymentErrors } from '../../domain/payment/payment.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Money } from '../../domain/shared/money.js';
import type { Logger } from '../ports/logger.port.js';
import { PaymentGatewayError } from '../ports/payment-gateway.port.js';
import type { RetryPolicy } from '../shared/job.js';

/** A few attempts, a short wait between them: a request waits about a second at most for a provider in trouble. */
export const PROVIDER_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 150, maxDelayMs: 1000 };

/** Exponential backoff with full jitter: 0..min(max, base * 2^(attempt-1)) ms before attempt `attempt + 1`. */
export const backoffMs = (policy: RetryPolicy, attempt: number, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));

/**
 * One call to the payment provider, retried with backoff while the provider does not answer
 * (`PaymentGatewayError`); the call must carry the same idempotency key every time, so that a retry
 * after a lost answer does not move money twice. When every attempt failed it throws
 * PAYMENT_GATEWAY_UNAVAILABLE (no answer: timeout, refused, 503; 503 with Retry-After) or
 * PAYMENT_GATEWAY_ERROR (a server error; 502), so the caller writes nothing. Other errors pass at once.
 */
export async function callProvider<T>(
  what: { operation: string; paymentId: string },
  call: () => Promise<T>,
  logger: Logger,
  policy: RetryPolicy = PROVIDER_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PaymentGatewayError)) throw error;
      const meta = { ...what, attempt, attempts: policy.attempts, kind: error.kind, error: error.message };
      if (attempt >= policy.attempts) {
        logger.error('payment provider call failed on every attempt; nothing recorded', meta);
        throw error.kind === 'server_error'
          ? new DomainError(
              PaymentErrors.gatewayError,
              `The payment provider answered an error to the ${what.operation} ${policy.attempts} times; nothing was recorded`,
            )
          : new DomainError(
              PaymentErrors.gatewayUnavailable,
              `The payment provider did not answer the ${what.operation} (${policy.attempts} attempts); nothing was recorded, try again later`,
            );
      }
      logger.warn('payment provider call failed; retrying', meta);
      await sleep(backoffMs(policy, attempt));
    }
  }
}

/**
 * The provider's idempotency key of a capture or refund: derived from the command (this payment, at the
 * revision it was decided on, this amount), so a retry, by this process or by the client after a 502,
 * asks for the same movement and the provider does it once.
 */
export const movementKey = (
  operation: 'capture' | 'refund',
  paymentId: string,
  revision: bigint | null,
  amount: Money,
): string => `rentlog:${paymentId}:${operation}:r${String(revision ?? -1n)}:${amount.amount}${amount.currency}`;
