import { pageOf, pageQuery, problems } from '../platform/common.schemas.js';
import { templateNames } from '../../../application/notification/notification-templates.js';

const uuid = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } as const;
const statuses = ['queued', 'sent', 'failed', 'dead', 'skipped'] as const;

const notificationView = {
  type: 'object',
  properties: {
    notificationId: { type: 'string' },
    template: { type: 'string', enum: templateNames },
    to: { type: ['string', 'null'], description: 'The recipient address (null once it could not be resolved)' },
    channel: { type: 'string', enum: ['email'] },
    status: { type: 'string', enum: statuses },
    attempts: { type: 'integer' },
    queuedAt: { type: 'string', format: 'date-time' },
    sentAt: { type: ['string', 'null'], format: 'date-time' },
    customerId: { type: ['string', 'null'] },
    orderId: { type: 'string' },
    lastError: { type: 'string' },
    skippedBecause: { type: 'string' },
  },
} as const;

export const listNotificationsSchema = {
  tags: ['notifications'],
  summary: 'Notifications sent or queued, newest first (a customer sees its own)',
  description:
    'Every notification is recorded: `queued` until its job ran, `sent`, `failed` (retried), `dead` (given up, or refused for good by the mail server), `skipped` (no longer due: reminders turned off, the order moved on, the recipient erased).',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { customerId: uuid, orderId: uuid, status: { type: 'string', enum: statuses }, ...pageQuery },
  },
  response: { 200: pageOf(notificationView), ...problems(400, 503) },
} as const;
