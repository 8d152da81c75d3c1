import type { UserMfaDisabled, UserMfaEnabled } from '../../domain/identity/user.events.js';
import type { SessionStarted } from '../../domain/identity/session.events.js';
import type { OrderConfirmed, OrderExtended, OrderPlaced } from '../../domain/order/order.events.js';
import type { PaymentCaptured, PaymentRefunded, PaymentRequested } from '../../domain/payment/payment.events.js';
import type { Recorded } from '../ports/event-store.port.js';
import type { Workflow } from '../shared/workflow.js';
import { QueueNotificationCommand } from './queue-notification.command.js';

type Input =
  | OrderPlaced
  | OrderExtended
  | OrderConfirmed
  | PaymentRequested
  | PaymentCaptured
  | PaymentRefunded
  | SessionStarted
  | UserMfaEnabled
  | UserMfaDisabled;

/**
 * What an instance remembers for the mails of its later events: an order's customer and dates, a
 * payment's order and purpose; the devices a user signed in from (keyed hashes, the most recent
 * first, at most MAX_DEVICES), and whether the latest sign-in came from a new device.
 */
export interface NotificationsState {
  customerId: string | null;
  orderId: string | null;
  rentalStart: string | null;
  rentalEnd: string | null;
  purpose: string | null;
  devices?: string[];
  newDevice?: boolean;
}

/** Devices remembered per user: one not among them is new again. */
export const MAX_DEVICES = 50;

const empty = (): NotificationsState => ({
  customerId: null,
  orderId: null,
  rentalStart: null,
  rentalEnd: null,
  purpose: null,
});

/**
 * The event-triggered notifications: order placed (and, later, its hold about to run out), order
 * confirmed, payment receipt, refund, sign-in from a new device, MFA turned on or off. Each is queued
 * with the event's id as its cause, so a redelivered event queues nothing new.
 *
 * A new device is decided from the user's own `SessionStarted` events, folded in the log's order (the
 * instance `user:<id>`): a sign-in is from a new device when the user signed in with a device key
 * before, and never with its `deviceKey` (so neither the first sign-in ever, nor the first one after
 * sessions without device keys, is new). Only the sessions before it count, however far behind or ahead the worker or the
 * `access` read model are (two fast sign-ins from one new device: one notice, on the first).
 */
export const notificationsWorkflow: Workflow<Input, NotificationsState> = {
  name: 'notifications',
  inputs: [
    'OrderPlaced',
    'OrderExtended',
    'OrderConfirmed',
    'PaymentRequested',
    'PaymentCaptured',
    'PaymentRefunded',
    'SessionStarted',
    'UserMfaEnabled',
    'UserMfaDisabled',
  ],
  instanceOf(event) {
    switch (event.type) {
      case 'PaymentRequested':
      case 'PaymentCaptured':
      case 'PaymentRefunded':
        return `payment:${event.data.paymentId}`;
      case 'SessionStarted':
      case 'UserMfaEnabled':
      case 'UserMfaDisabled':
        return `user:${event.data.userId}`;
      default:
        return `order:${event.data.orderId}`;
    }
  },
  initialState: empty,
  evolve(state, event) {
    switch (event.type) {
      case 'OrderPlaced':
        return { ...state, customerId: event.data.customerId, orderId: event.data.orderId, ...dates(event) };
      case 'OrderExtended':
        return { ...state, rentalEnd: event.data.rentalEnd };
      case 'SessionStarted':
        return signedIn(state, event.data.deviceKey ?? null);
      case 'PaymentRequested':
        return {
          ...state,
          customerId: event.data.customerId,
          orderId: event.data.orderId,
          purpose: event.data.purpose,
        };
      default:
        return state;
    }
  },
  decide(event, state) {
    const cause = event.id;
    switch (event.type) {
      case 'OrderPlaced': {
        const p = event.data;
        const total = { amount: p.subtotal.amount + p.deposit.amount, currency: p.subtotal.currency };
        const params = {
          orderId: p.orderId,
          rentalStart: p.rentalStart,
          rentalEnd: p.rentalEnd,
          rentalDays: p.rentalDays,
          total,
          deposit: p.deposit,
          holdExpiresAt: p.holdExpiresAt,
        };
        const base = { customerId: p.customerId, orderId: p.orderId, params };
        return [
          new QueueNotificationCommand({ ...base, template: 'order-placed', cause }),
          new QueueNotificationCommand(
            { ...base, template: 'hold-expiring', cause },
            { holdExpiresAt: p.holdExpiresAt },
          ),
        ];
      }
      case 'OrderConfirmed':
        return [
          new QueueNotificationCommand({
            template: 'order-confirmed',
            cause,
            customerId: event.data.customerId,
            orderId: event.data.orderId,
            params: { orderId: event.data.orderId, rentalStart: state.rentalStart, rentalEnd: state.rentalEnd },
          }),
        ];
      case 'PaymentCaptured':
      case 'PaymentRefunded':
        if (!state.customerId) return []; // a payment we never saw requested: nobody to tell
        return [
          new QueueNotificationCommand({
            template: event.type === 'PaymentCaptured' ? 'payment-receipt' : 'refund',
            cause,
            customerId: state.customerId,
            orderId: event.data.orderId,
            params: {
              orderId: event.data.orderId,
              paymentId: event.data.paymentId,
              amount: event.data.amount,
              purpose: state.purpose,
            },
          }),
        ];
      case 'SessionStarted':
        if (!state.newDevice) return [];
        return [
          new QueueNotificationCommand({
            template: 'new-device-sign-in',
            cause,
            userId: event.data.userId,
            params: { at: event.data.startedAt },
          }),
        ];
      case 'UserMfaEnabled':
        return [mfa('mfa-enabled', cause, event.data.userId, event.data.enabledAt)];
      case 'UserMfaDisabled':
        return [mfa('mfa-disabled', cause, event.data.userId, event.data.disabledAt)];
      default:
        return [];
    }
  },
};

/** A sign-in folded: new when the user has known devices and this is not one (a key of null: unknown, never new). */
function signedIn(state: NotificationsState, deviceKey: string | null): NotificationsState {
  const devices = state.devices ?? [];
  const newDevice = deviceKey !== null && devices.length > 0 && !devices.includes(deviceKey);
  const remembered =
    deviceKey === null ? devices : [deviceKey, ...devices.filter((d) => d !== deviceKey)].slice(0, MAX_DEVICES);
  return { ...state, devices: remembered, newDevice };
}

const dates = (event: Recorded<OrderPlaced>) => ({
  rentalStart: event.data.rentalStart,
  rentalEnd: event.data.rentalEnd,
});

const mfa = (template: 'mfa-enabled' | 'mfa-disabled', cause: string, userId: string, at: string) =>
  new QueueNotificationCommand({ template, cause, userId, params: { at } });
