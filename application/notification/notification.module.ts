import { Module } from '@nestjs/common';
import { ListNotificationsHandler } from './notification.queries.js';
import { Notifications } from './notifications.service.js';
import { QueueNotificationHandler } from './queue-notification.handler.js';
import { Recipients } from './recipients.js';
import { NotificationRemindersJob } from './notification-reminders.job.js';
import { OverdueNoticesJob } from './overdue-notices.job.js';
import { SendNotificationJob } from './send-notification.job.js';

/** Notifications: queued for events and schedule slots, sent by a durable job, recorded, listed. */
@Module({
  providers: [
    Recipients,
    Notifications,
    QueueNotificationHandler,
    ListNotificationsHandler,
    SendNotificationJob,
    NotificationRemindersJob,
    OverdueNoticesJob,
  ],
  exports: [Notifications, SendNotificationJob, NotificationRemindersJob, OverdueNoticesJob],
})
export class NotificationModule {}
