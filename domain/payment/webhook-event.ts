import type { Decider } from '../shared/decider.js';

/**
 * Provider webhook deduplication: one tiny stream per provider event id, written once. A delivery
 * whose event id was received before decides nothing (and the route answers 200 all the same).
 */
export interface WebhookEventReceived {
  type: 'WebhookEventReceived';
  data: { provider: string; eventId: string; eventType: string; paymentId: string; receivedAt: string };
}

export interface ReceiveWebhookEvent {
  type: 'ReceiveWebhookEvent';
  data: { provider: string; eventId: string; eventType: string; paymentId: string; now: string };
}

export const webhookEventKey = (provider: string, eventId: string): string =>
  `${provider}-${encodeURIComponent(eventId)}`;

export const webhookEventDecider: Decider<ReceiveWebhookEvent, WebhookEventReceived, { received: boolean }> = {
  streamOf: (key) => `webhookevent-${key}`,
  initialState: () => ({ received: false }),
  evolve: () => ({ received: true }),
  decide: ({ data }, state) => {
    if (state.received) return [];
    const { now, ...received } = data;
    return [{ type: 'WebhookEventReceived', data: { ...received, receivedAt: now } }];
  },
};
