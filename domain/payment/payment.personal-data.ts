import { noPersonalData, type PersonalDataOf } from '../shared/personal-data.js';
import type { PaymentEvent } from './payment.events.js';
import type { WebhookEventReceived } from './webhook-event.js';

/**
 * Payments keep amounts and references for accounting. `paymentMethod` is the provider's token, not a
 * card number; a failure reason is the provider's code. A refund's `reason` is staff's note on the
 * payment (it also goes into the event's metadata, which never holds personal data): plain by rule.
 */
export const paymentPersonalData: PersonalDataOf<PaymentEvent | WebhookEventReceived> = {
  PaymentRequested: noPersonalData(
    'paymentId',
    'orderId',
    'customerId',
    'amount.currency',
    'purpose',
    'paymentMethod',
    'requestedAt',
  ),
  PaymentAuthorized: noPersonalData('paymentId', 'orderId', 'amount.currency', 'providerRef', 'authorizedAt'),
  PaymentFailed: noPersonalData('paymentId', 'orderId', 'reason', 'failedAt'),
  PaymentCaptured: noPersonalData('paymentId', 'orderId', 'amount.currency', 'captured.currency', 'capturedAt'),
  PaymentRefunded: noPersonalData(
    'paymentId',
    'orderId',
    'amount.currency',
    'refunded.currency',
    'reason',
    'refundedAt',
  ),
  WebhookEventReceived: noPersonalData('provider', 'eventId', 'eventType', 'paymentId', 'receivedAt'),
};
