import { Inject, Injectable } from '@nestjs/common';
import { JOB_QUEUE, type JobQueue } from '../ports/job-queue.port.js';
import { MAILER, MailDeliveryError, type Mailer } from '../ports/mailer.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { TEMPLATES, type Templates } from '../ports/templates.port.js';
import { derivedUuid } from '../shared/command-scope.js';
import { CoreDeps } from '../shared/core-deps.js';
import type { JobContext } from '../shared/job.js';
import { isReminder, type TemplateName } from './notification-templates.js';
import { NOTIFICATIONS_READ_MODEL, notificationIndexes, type NotificationDoc } from './notification.view.js';
import { Recipients } from './recipients.js';
import { stillDue } from './still-due.js';

export const SEND_NOTIFICATION = 'notification.send';

export interface NotificationRequest {
  template: TemplateName;
  /** An event id, or a schedule slot: with the template, it makes the notification's id (one per cause). */
  cause: string;
  customerId?: string | null;
  userId?: string | null;
  orderId?: string | null;
  /** The template's facts: ids, dates, amounts, never personal data. */
  params: Record<string, unknown>;
  /** A value the mail carries that must not be kept readable (a reset link): sealed, dropped once sent. */
  secret?: string;
  /** Not before this (an order's hold running out). */
  dueAt?: Date;
}

/** A notification's id: derived from its cause and template, so the same cause notifies once. */
export const notificationIdOf = (cause: string, template: TemplateName): string =>
  derivedUuid('notification', cause, template);

/**
 * Notifications: each is recorded (`notifications`, its address sealed) and queued as a durable
 * `notification.send` job with the notification's id, so a cause seen twice (a redelivered event, a
 * schedule slot run again) is one notification and one mail. The job renders the template in the
 * recipient's language at send time, checks it is still due, and hands it to the mailer; a failed
 * attempt is counted and retried by the job engine.
 */
@Injectable()
export class Notifications {
  private ready: Promise<void> | null = null;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(TEMPLATES) private readonly templates: Templates,
    private readonly recipients: Recipients,
    private readonly deps: CoreDeps,
  ) {}

  private collection() {
    return this.store.collection<NotificationDoc>(NOTIFICATIONS_READ_MODEL);
  }

  private prepare(): Promise<void> {
    this.ready ??= this.store.ensureCollection({ name: NOTIFICATIONS_READ_MODEL, indexes: notificationIndexes });
    return this.ready;
  }

  /** Records and queues a notification; answers its id, and whether it is new (false: that cause was notified already). */
  async queue(request: NotificationRequest): Promise<{ notificationId: string; created: boolean }> {
    await this.prepare();
    const notificationId = notificationIdOf(request.cause, request.template);
    const recipient = await this.recipients.of(request);
    const now = this.deps.now();
    const doc: NotificationDoc = {
      _id: notificationId,
      notificationId,
      template: request.template,
      channel: 'email',
      status: 'queued',
      to: recipient?.to ?? null,
      customerId: recipient?.customerId ?? request.customerId ?? null,
      userId: recipient?.userId ?? request.userId ?? null,
      orderId: request.orderId ?? null,
      cause: request.cause,
      params: request.params,
      secret: request.secret ?? null,
      attempts: 0,
      queuedAt: now,
      dueAt: request.dueAt?.toISOString() ?? now,
      sentAt: null,
      lastError: null,
      skippedBecause: null,
    };
    const created = await this.collection().insertIfAbsent(doc);
    // Queued again when it existed: the job is idempotent by id, and a crash between the two writes is mended.
    await this.jobs.enqueue({
      id: notificationId,
      type: SEND_NOTIFICATION,
      payload: { notificationId },
      ...(request.dueAt ? { runAt: request.dueAt } : {}),
    });
    return { notificationId, created };
  }

  /** One attempt at sending (the job's body). Sent or skipped already: nothing happens. */
  async send(notificationId: string, context: JobContext, lastAttempt: boolean): Promise<NotificationDoc['status']> {
    await this.prepare();
    const doc = await this.collection().findById(notificationId);
    if (!doc) throw new Error(`No notification ${notificationId}`);
    if (doc.status === 'sent' || doc.status === 'skipped' || doc.status === 'dead') return doc.status;
    const recipient = await this.recipients.of(doc);
    const skip = async (because: string) => {
      await this.collection().put({
        ...doc,
        status: 'skipped',
        skippedBecause: because,
        secret: null,
        attempts: context.attempt,
      });
      this.deps.logger.info('notification skipped', { notificationId, template: doc.template, because });
      return 'skipped' as const;
    };
    if (!recipient) return skip('recipient_gone');
    if (isReminder(doc.template) && !recipient.reminders) return skip('reminders_off');
    const due = await stillDue(this.store, doc);
    if (due !== true) return skip(due);
    const rendered = this.templates.render(doc.template, recipient.language, {
      ...doc.params,
      ...(doc.secret ? { link: doc.secret } : {}),
      name: recipient.name,
    });
    try {
      await this.mailer.send({
        messageId: `<${notificationId}@rentlog>`,
        to: recipient.to,
        toName: recipient.name,
        ...rendered,
        language: recipient.language,
        kind: doc.template,
        owner: recipient.customerId ? `customer:${recipient.customerId}` : `user:${recipient.userId}`,
      });
    } catch (error) {
      const retryable = !(error instanceof MailDeliveryError) || error.retryable;
      const status = retryable && !lastAttempt ? 'failed' : 'dead';
      await this.collection().put({
        ...doc,
        to: recipient.to,
        status,
        attempts: context.attempt,
        lastError: (error as Error).message,
        ...(status === 'dead' ? { secret: null } : {}),
      });
      if (retryable) throw error; // the job engine tries again (or records the job dead)
      return status;
    }
    await this.collection().put({
      ...doc,
      to: recipient.to,
      customerId: recipient.customerId,
      status: 'sent',
      attempts: context.attempt,
      sentAt: this.deps.now(),
      secret: null,
      lastError: null,
    });
    return 'sent';
  }
}
