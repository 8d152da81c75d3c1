import { Injectable } from '@nestjs/common';
import type { JobContext, JobHandler, RetryPolicy } from '../shared/job.js';
import { Notifications, SEND_NOTIFICATION } from './notifications.service.js';

/** Mail servers refuse for minutes at a time (greylisting, a restart): ten attempts over about an hour and a half. */
export const SEND_NOTIFICATION_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 10_000, maxDelayMs: 30 * 60_000 };

/** Sends one notification (the `notification.send` job on the `notifications` queue). */
@Injectable()
export class SendNotificationJob implements JobHandler<{ notificationId: string }> {
  readonly type = SEND_NOTIFICATION;
  readonly queue = 'notifications' as const;
  readonly retry: RetryPolicy;

  constructor(private readonly notifications: Notifications) {
    this.retry = SEND_NOTIFICATION_RETRY;
  }

  async handle(payload: { notificationId: string }, context: JobContext) {
    const status = await this.notifications.send(
      payload.notificationId,
      context,
      context.attempt >= (context.attempts ?? this.retry.attempts),
    );
    return { status };
  }
}
