import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CoreDeps } from '../shared/core-deps.js';
import { Notifications } from './notifications.service.js';
import { QueueNotificationCommand } from './queue-notification.command.js';

@CommandHandler(QueueNotificationCommand)
export class QueueNotificationHandler implements ICommandHandler<QueueNotificationCommand> {
  constructor(
    private readonly notifications: Notifications,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ request, options }: QueueNotificationCommand) {
    let dueAt = request.dueAt;
    if (options.holdExpiresAt) {
      const notice = this.deps.settings.notifications?.holdNoticeSeconds ?? 0;
      if (notice <= 0) return { notificationId: null };
      dueAt = new Date(Date.parse(options.holdExpiresAt) - notice * 1000);
    }
    const { notificationId } = await this.notifications.queue({ ...request, ...(dueAt ? { dueAt } : {}) });
    return { notificationId };
  }
}
