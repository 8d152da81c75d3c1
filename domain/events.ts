import type { CheckpointEvent } from './audit/checkpoint.events.js';
import type { ExportEvent } from './audit/export.events.js';
import type { CustomerEvent } from './customer/customer.events.js';
import type { ApiKeyEvent } from './identity/api-key.events.js';
import type { SessionEvent } from './identity/session.events.js';
import type { PasswordResetEvent } from './identity/password-reset.events.js';
import type { SignInEvent } from './identity/sign-in.events.js';
import type { UserEvent } from './identity/user.events.js';
import type { OrderEvent } from './order/order.events.js';
import type { PaymentEvent } from './payment/payment.events.js';
import type { WebhookEventReceived } from './payment/webhook-event.js';
import type { ProductEvent } from './product/product.events.js';
import type { Snapshotted } from './shared/decider.js';
import type { UniqueValueClaimed } from './shared/unique-claim.js';

/** Every event Rentlog writes. */
export type RentlogEvent =
  | ProductEvent
  | OrderEvent
  | PaymentEvent
  | WebhookEventReceived
  | CustomerEvent
  | UserEvent
  | SessionEvent
  | SignInEvent
  | PasswordResetEvent
  | ApiKeyEvent
  | UniqueValueClaimed
  | CheckpointEvent
  | ExportEvent
  | Snapshotted;

export type RentlogEventType = RentlogEvent['type'];

/**
 * Reads an event written under an older schema as the next version (possibly under a new type). The
 * event codec applies upcasters until the event is at its type's current version, so code only ever
 * sees current events.
 */
export interface Upcaster {
  type: string;
  version: number;
  upcast(data: unknown): { type: string; version: number; data: unknown };
}

/** The schema of the log: each type's current version, and how older events are read. */
export interface EventSchema {
  versions: Record<RentlogEventType, number>;
  upcasters: readonly Upcaster[];
}

export const eventSchema: EventSchema = {
  versions: {
    ProductRegistered: 1,
    ProductRepriced: 1,
    ProductStockAdjusted: 1,
    ProductRetired: 1,
    UnitsHeld: 1,
    HoldConfirmed: 1,
    BookingExtended: 1,
    UnitsReleased: 1,
    OrderPlaced: 1,
    OrderConfirmed: 1,
    OrderExtended: 1,
    OrderCancelled: 1,
    OrderExpired: 1,
    OrderPickedUp: 1,
    OrderReturned: 1,
    OrderClosed: 1,
    DamagePhotoAdded: 1,
    OrderPaymentUpdated: 2,
    PaymentRequested: 1,
    PaymentAuthorized: 1,
    PaymentFailed: 1,
    PaymentCaptured: 1,
    PaymentRefunded: 1,
    WebhookEventReceived: 1,
    CustomerRegistered: 1,
    CustomerUpdated: 1,
    CustomerErased: 1,
    DocumentUploaded: 1,
    UserRegistered: 1,
    UserPasswordChanged: 2,
    UserDisabled: 1,
    UserEnabled: 1,
    UserSignedOutEverywhere: 1,
    UserExternalIdentityLinked: 1,
    UserMfaEnrolmentStarted: 1,
    UserMfaEnabled: 1,
    UserMfaDisabled: 1,
    UserMfaRecoveryCodeUsed: 1,

    UserErased: 1,
    SessionStarted: 3,
    SessionRefreshed: 1,
    SessionEnded: 1,
    SignInFailed: 1,
    SignInLockedOut: 1,
    SignInFailuresCleared: 1,
    ApiKeyCreated: 1,
    ApiKeyRevoked: 1,
    ApiKeyUsed: 1,

    PasswordResetRequested: 1,
    PasswordResetCompleted: 1,

    UniqueValueClaimed: 1,
    AuditCheckpointRecorded: 1,
    AuditExported: 1,
    Snapshotted: 1,
  },
  upcasters: [
    {
      // Version 1 knew only changes with the current password.
      type: 'UserPasswordChanged',
      version: 1,
      upcast: (data) => ({ type: 'UserPasswordChanged', version: 2, data: { via: 'change', ...(data as object) } }),
    },
    {
      // Version 1 sessions had no token version, absolute lifetime or device: version 0, the token's expiry, none.
      type: 'SessionStarted',
      version: 1,
      upcast: (data) => {
        const d = data as { expiresAt: string };
        return {
          type: 'SessionStarted',
          version: 2,
          data: { tokenVersion: 0, absoluteExpiresAt: d.expiresAt, userAgent: null, ipAddress: null, ...d },
        };
      },
    },
    {
      // Version 2 sessions had no device key: unknown (no new-device notice is decided from them).
      type: 'SessionStarted',
      version: 2,
      upcast: (data) => ({ type: 'SessionStarted', version: 3, data: { deviceKey: null, ...(data as object) } }),
    },
    {
      // Version 1 did not record what the payment asked for: the most it was authorized or captured for.
      type: 'OrderPaymentUpdated',
      version: 1,
      upcast: (data) => {
        const d = data as {
          authorized: { amount: number; currency: string };
          captured: { amount: number; currency: string };
        };
        const amount = d.captured.amount > d.authorized.amount ? d.captured : d.authorized;
        return { type: 'OrderPaymentUpdated', version: 2, data: { ...d, amount } };
      },
    },
    {
      // SKU claims were their own event type before SKUs and emails shared one claim mechanism.
      type: 'SkuClaimed',
      version: 1,
      upcast: (data) => ({
        type: 'UniqueValueClaimed',
        version: 1,
        data: { scope: 'sku', ownerId: (data as { productId: string }).productId },
      }),
    },
  ],
};
