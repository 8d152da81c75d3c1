import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type {
  AuthorizeResult,
  MoneyMovement,
  PaymentGateway,
  ProviderPaymentStatus,
  WebhookCheck,
} from '../../application/ports/payment-gateway.port.js';
import type { Money } from '../../domain/shared/money.js';
import { faultError, type SandboxFaults, type SandboxOperation } from './sandbox-faults.js';
import { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from './webhook-signature.js';

/** The sandbox's test payment methods (API.md, Payments). Any other method is declined. */
export const SandboxMethods = { ok: 'pm_card_ok', declined: 'pm_card_declined', async: 'pm_card_async' } as const;

export interface SandboxOptions {
  /** The webhook signing key (shared with the verifier: the same object verifies). */
  secret: string;
  /** Where webhooks go: `<public url>/v1/payments/webhooks/sandbox`. */
  webhookUrl: string;
  clock: Clock;
  logger: Logger;
  /** How long `pm_card_async` stays pending before its webhook is sent. */
  webhookDelayMs?: number;
  /** Delivery attempts per webhook (exponential backoff in between). */
  attempts?: number;
  retryBaseMs?: number;
  /** Tests only: failures to answer instead of results (never set from configuration). */
  faults?: SandboxFaults;
}

export interface SandboxWebhook {
  id: string;
  type: 'payment.authorized' | 'payment.failed' | 'payment.captured' | 'payment.refunded';
  created: number;
  data: { paymentId: string; amount: Money; providerRef?: string; reason?: string };
}

/**
 * How the sandbox settles a payment, the same however often it is asked (its webhook and its status
 * answer agree, and a restart changes nothing): `pm_card_ok` authorizes, `pm_card_declined` and
 * unknown methods decline, `pm_card_async` authorizes unless its amount in minor units ends in 13
 * (such as 80.13), which declines. The authorization's reference derives from the payment id.
 */
export function sandboxDecision(request: { paymentId: string; amount: Money; paymentMethod: string }) {
  const providerRef = authRef(request.paymentId);
  switch (request.paymentMethod) {
    case SandboxMethods.ok:
      return { outcome: 'authorized', providerRef } as const;
    case SandboxMethods.async:
      return request.amount.amount % 100 === 13
        ? ({ outcome: 'declined', reason: 'card_declined' } as const)
        : ({ outcome: 'authorized', providerRef } as const);
    case SandboxMethods.declined:
      return { outcome: 'declined', reason: 'card_declined' } as const;
    default:
      return { outcome: 'declined', reason: 'unknown_payment_method' } as const;
  }
}

/**
 * A deterministic payment provider for development and tests (`sandboxDecision`): `pm_card_async`
 * answers pending and settles a moment later by a signed webhook to the API (retried with backoff; a
 * failure is logged, never thrown), and by the same rule when asked (`status`). Captures and refunds
 * succeed, once per idempotency key: the same key answers the first result again.
 */
export class SandboxGateway implements PaymentGateway {
  readonly provider = 'sandbox';
  private readonly abort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deliveries = new Set<Promise<boolean>>();
  /** Captures and refunds done, by idempotency key. */
  private readonly movements = new Map<string, { providerRef: string }>();

  constructor(private readonly options: SandboxOptions) {}

  async authorize(request: { paymentId: string; amount: Money; paymentMethod: string }): Promise<AuthorizeResult> {
    this.inject('authorize', request.paymentId);
    const decision = sandboxDecision(request);
    if (request.paymentMethod !== SandboxMethods.async) return decision;
    const providerRef = authRef(request.paymentId);
    this.later(
      decision.outcome === 'authorized'
        ? { type: 'payment.authorized', data: { paymentId: request.paymentId, amount: request.amount, providerRef } }
        : {
            type: 'payment.failed',
            data: { paymentId: request.paymentId, amount: request.amount, reason: decision.reason },
          },
    );
    return { outcome: 'pending', providerRef };
  }

  async status(request: { paymentId: string; amount: Money; paymentMethod: string }): Promise<ProviderPaymentStatus> {
    this.inject('status', request.paymentId);
    const decision = sandboxDecision(request);
    return decision.outcome === 'authorized' ? { ...decision, amount: request.amount } : decision;
  }

  capture(request: MoneyMovement): Promise<{ providerRef: string }> {
    return this.move('capture', request);
  }

  refund(request: MoneyMovement): Promise<{ providerRef: string }> {
    return this.move('refund', request);
  }

  /** Done once per idempotency key; a timeout is answered after it was done (the answer was lost). */
  private async move(operation: 'capture' | 'refund', request: MoneyMovement): Promise<{ providerRef: string }> {
    const key = `${operation}\n${request.idempotencyKey}`;
    const fault = this.options.faults?.take({
      operation,
      paymentId: request.paymentId,
      idempotencyKey: request.idempotencyKey,
    });
    if (fault && fault !== 'timeout') throw faultError(fault);
    const done = this.movements.get(key) ?? { providerRef: reference(operation === 'capture' ? 'cap' : 'ref') };
    this.movements.set(key, done);
    if (fault) throw faultError(fault);
    return done;
  }

  private inject(operation: SandboxOperation, paymentId: string): void {
    const fault = this.options.faults?.take({ operation, paymentId });
    if (fault) throw faultError(fault);
  }

  verifyWebhook(rawBody: Buffer, signature: string | undefined): WebhookCheck {
    return verifyWebhookSignature(this.options.secret, rawBody, signature, this.nowSeconds());
  }

  /** Signs and POSTs one webhook, retrying with exponential backoff; answers whether it was accepted. Never throws. */
  async deliver(event: Omit<SandboxWebhook, 'id' | 'created'>): Promise<boolean> {
    const { webhookUrl, logger } = this.options;
    const webhook: SandboxWebhook = {
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      created: this.nowSeconds(),
      ...event,
    };
    const body = JSON.stringify(webhook);
    const attempts = this.options.attempts ?? 5;
    const meta = { webhookId: webhook.id, type: webhook.type, paymentId: webhook.data.paymentId, url: webhookUrl };
    for (let attempt = 1; attempt <= attempts && !this.abort.signal.aborted; attempt++) {
      try {
        const response = await fetch(webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(this.options.secret, body, this.nowSeconds()),
          },
          body,
          signal: this.abort.signal,
        });
        await response.arrayBuffer();
        if (response.ok) {
          logger.info('sandbox webhook delivered', { ...meta, attempt, status: response.status });
          return true;
        }
        logger.warn('sandbox webhook refused', { ...meta, attempt, status: response.status });
      } catch (error) {
        if (this.abort.signal.aborted) break;
        logger.warn('sandbox webhook delivery failed', { ...meta, attempt, error: (error as Error).message });
      }
      if (attempt < attempts)
        await sleep((this.options.retryBaseMs ?? 250) * 2 ** (attempt - 1), undefined, {
          signal: this.abort.signal,
        }).catch(() => undefined);
    }
    if (this.abort.signal.aborted) logger.info('sandbox webhook dropped: the gateway was closed', meta);
    else logger.error('sandbox webhook not delivered', { ...meta, attempts });
    return false;
  }

  async close(): Promise<void> {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.deliveries]);
  }

  private later(event: Omit<SandboxWebhook, 'id' | 'created'>): void {
    if (this.abort.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const delivery = this.deliver(event).finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }, this.options.webhookDelayMs ?? 200);
    this.timers.add(timer);
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock.now().getTime() / 1000);
  }
}

const reference = (kind: string): string => `sbx_${kind}_${randomUUID().replace(/-/g, '')}`;
/** The authorization's reference: the same for a payment however often the sandbox is asked. */
const authRef = (paymentId: string): string =>
  `sbx_auth_${createHash('sha256').update(`auth\n${paymentId}`).digest('hex').slice(0, 32)}`;
