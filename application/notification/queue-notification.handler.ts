import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ACCESS_READ_MODEL, type SessionAccessDoc } from '../identity/access.view.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CoreDeps } from '../shared/core-deps.js';
import { Notifications } from './notifications.service.js';
import { QueueNotificationCommand } from './queue-notification.command.js';

@CommandHandler(QueueNotificationCommand)
export class QueueNotificationHandler implements ICommandHandler<QueueNotificationCommand> {
  constructor(
    private readonly notifications: Notifications,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  async execute({ request, options }: QueueNotificationCommand) {
    if (options.device && !(await this.isNewDevice(request.userId ?? '', options.device)))
      return { notificationId: null };
    let dueAt = request.dueAt;
    if (options.holdExpiresAt) {
      const notice = this.deps.settings.notifications?.holdNoticeSeconds ?? 0;
      if (notice <= 0) return { notificationId: null };
      dueAt = new Date(Date.parse(options.holdExpiresAt) - notice * 1000);
    }
    const { notificationId } = await this.notifications.queue({ ...request, ...(dueAt ? { dueAt } : {}) });
    return { notificationId };
  }

  /** A device is new when the user signed in before, and never from it (its user agent, compared in memory: it is sealed). */
  private async isNewDevice(userId: string, device: { sessionId: string; userAgent: string | null }) {
    const sessions = await this.store
      .collection<SessionAccessDoc>(ACCESS_READ_MODEL)
      .find({ kind: 'session', userId }, { limit: 1000 });
    const earlier = sessions.filter((s) => s.sessionId !== device.sessionId);
    return earlier.length > 0 && !earlier.some((s) => s.userAgent === device.userAgent);
  }
}
