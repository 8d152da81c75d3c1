import type { IndexSpec } from '../ports/read-store.port.js';
import type { PersonalDocFields } from '../privacy/personal-documents.js';
import type { TemplateName } from './notification-templates.js';

export const NOTIFICATIONS_READ_MODEL = 'notifications';

/**
 * `queued` until its job ran; `sent` (handed to the SMTP server, or written to the outbox);
 * `failed` after a failed attempt (retried), `dead` once the job gave up or the server refused the
 * mail for good; `skipped` when it was no longer due at its time (the customer turned reminders off,
 * the order moved on, the recipient was erased).
 */
export type NotificationStatus = 'queued' | 'sent' | 'failed' | 'dead' | 'skipped';

/**
 * One notification, kept by the notifications service (not a projection: it records what was sent).
 * `to` is the recipient's address and `secret` what a mail must carry but nobody may read later (a
 * reset link, until it is sent): both sealed in the read store under the recipient's key.
 */
export interface NotificationDoc {
  _id: string;
  [key: string]: unknown;
  notificationId: string;
  template: TemplateName;
  channel: 'email';
  status: NotificationStatus;
  to: string | null;
  customerId: string | null;
  userId: string | null;
  orderId: string | null;
  /** What caused it: an event id, or a schedule's slot (`<order id>/<template>/<day>`). */
  cause: string;
  /** The template's facts (ids, dates, amounts): never personal data. */
  params: Record<string, unknown>;
  secret: string | null;
  attempts: number;
  queuedAt: string;
  /** Not sent before this. */
  dueAt: string;
  sentAt: string | null;
  lastError: string | null;
  skippedBecause: string | null;
}

/** What GET /v1/notifications and the export show of one. */
export interface NotificationView {
  notificationId: string;
  template: TemplateName;
  to: string | null;
  channel: 'email';
  status: NotificationStatus;
  attempts: number;
  queuedAt: string;
  sentAt: string | null;
  customerId: string | null;
  orderId?: string;
  lastError?: string;
  skippedBecause?: string;
}

export const notificationView = (doc: NotificationDoc): NotificationView => ({
  notificationId: doc.notificationId,
  template: doc.template,
  to: doc.to,
  channel: doc.channel,
  status: doc.status,
  attempts: doc.attempts,
  queuedAt: doc.queuedAt,
  sentAt: doc.sentAt,
  customerId: doc.customerId,
  ...(doc.orderId ? { orderId: doc.orderId } : {}),
  ...(doc.lastError ? { lastError: doc.lastError } : {}),
  ...(doc.skippedBecause ? { skippedBecause: doc.skippedBecause } : {}),
});

/** The recipient's address (and a secret the mail carries) are personal: sealed under the customer's key, else the user's. */
export const notificationDocPersonalFields: PersonalDocFields = {
  subject: (doc) =>
    typeof doc.customerId === 'string'
      ? `customer:${doc.customerId}`
      : typeof doc.userId === 'string'
        ? `user:${doc.userId}`
        : null,
  sealed: ['to', 'secret'],
};

export const notificationIndexes: IndexSpec[] = [
  { fields: { customerId: 1, queuedAt: 1 } },
  { fields: { orderId: 1, queuedAt: 1 } },
  { fields: { status: 1, queuedAt: 1 } },
  { fields: { queuedAt: 1 } },
];
