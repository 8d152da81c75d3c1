import { Command } from '@nestjs/cqrs';
import type { NotificationRequest } from './notifications.service.js';

/**
 * Queue a notification (the notifications workflow sends it for an event). `device`: a sign-in's
 * session and device, notified only when the user had signed in before and never from that device.
 * `holdExpiresAt`: a hold-expiring notice is due `HOLD_EXPIRY_NOTICE_SECONDS` before it.
 */
export class QueueNotificationCommand extends Command<{ notificationId: string | null }> {
  constructor(
    readonly request: NotificationRequest,
    readonly options: { device?: { sessionId: string; userAgent: string | null }; holdExpiresAt?: string } = {},
  ) {
    super();
  }
}
