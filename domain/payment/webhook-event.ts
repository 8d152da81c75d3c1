/**
 * Provider webhook deduplication: one tiny stream per provider event id, claimed with expected
 * revision `no_stream` (as SKUs are, see product/sku.ts). A claim that already exists means the
 * event was delivered before.
 */
export interface WebhookEventReceived {
  type: 'WebhookEventReceived';
  data: { provider: string; eventId: string; eventType: string; paymentId: string; receivedAt: string };
}

export const webhookEventStream = (provider: string, eventId: string): string => `webhookevent-${provider}-${encodeURIComponent(eventId)}`;
