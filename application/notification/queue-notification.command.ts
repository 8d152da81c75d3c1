import { Command } from '@nestjs/cqrs';
import type { NotificationRequest } from './notifications.service.js';

/**
 * Queue a notification (the notifications workflow sends it for an event). `holdExpiresAt`: a hold-expiring notice is due `HOLD_EXPIRY_NOTICE_SECONDS` before it.
 */
export class QueueNotificationCommand extends Command<{ notificationId: string | null }> {
  constructor(
    readonly request: NotificationRequest,
    readonly options: { holdExpiresAt?: string } = {},
  ) {
    super();
  }
}
