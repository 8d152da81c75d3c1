import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/audit.module.js';
import { AuditCheckpointJob } from './audit/checkpoint.job.js';
import { VerifyAuditJob } from './audit/verify-audit.job.js';
import { CustomerModule } from './customer/customer.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { PurgeOidcStatesJob } from './identity/purge-oidc-states.job.js';
import { ExpireHoldsJob } from './order/expire-holds.job.js';
import { OrderModule } from './order/order.module.js';
import { orderPaymentsWorkflow } from './order/order-payments.workflow.js';
import { releaseUnitsWorkflow } from './order/release-units.workflow.js';
import { NotificationModule } from './notification/notification.module.js';
import { NotificationRemindersJob } from './notification/notification-reminders.job.js';
import { OverdueNoticesJob } from './notification/overdue-notices.job.js';
import { SendNotificationJob } from './notification/send-notification.job.js';
import { notificationsWorkflow } from './notification/notifications.workflow.js';
import { PaymentModule } from './payment/payment.module.js';
import { EraseInactiveCustomersJob } from './privacy/erase-inactive-customers.job.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { ProductModule } from './product/product.module.js';
import { ReleaseOrphanHoldsJob } from './product/release-orphan-holds.job.js';
import { ReportModule } from './report/report.module.js';
import { ReconcilePaymentsJob } from './payment/reconcile-payments.job.js';
import { ReportSnapshotJob } from './report/report-snapshot.job.js';
import { JOB_HANDLERS, SCHEDULES, type JobHandler, type Schedule } from './shared/job.js';
import { GetJobsHandler } from './shared/jobs.query.js';
import { RetryJobHandler } from './shared/retry-job.handler.js';
import { PortsModule } from './shared/ports.module.js';
import { PurgeDoneJobsJob } from './shared/purge-done-jobs.job.js';
import { PurgeIdempotencyKeysJob } from './shared/purge-idempotency-keys.job.js';

/** The workflows the worker runs on the durable subscriber. */
export const workflows = [orderPaymentsWorkflow, releaseUnitsWorkflow, notificationsWorkflow] as const;

/**
 * The application: every area's use cases, queries, job handlers and schedules, over the ports the
 * composition root gives. The HTTP API and the worker run on the same modules and the same command bus;
 * the worker's job engine runs the handlers (JOB_HANDLERS) and the schedules (SCHEDULES).
 */
@Module({})
export class ApplicationModule {
  static register(ports: Provider[]): DynamicModule {
    return {
      module: ApplicationModule,
      imports: [
        CqrsModule.forRoot(),
        PortsModule.register(ports),
        ProductModule,
        OrderModule,
        PaymentModule,
        CustomerModule,
        IdentityModule,
        AuditModule,
        PrivacyModule,
        ReportModule,
        NotificationModule,
      ],
      providers: [
        PurgeIdempotencyKeysJob,
        PurgeDoneJobsJob,
        GetJobsHandler,
        RetryJobHandler,
        {
          provide: JOB_HANDLERS,
          useFactory: (...handlers: JobHandler[]) => handlers,
          inject: [SendNotificationJob],
        },
        {
          provide: SCHEDULES,
          useFactory: (...schedules: Schedule[]) => schedules,
          inject: [
            NotificationRemindersJob,
            OverdueNoticesJob,
            ExpireHoldsJob,
            ReleaseOrphanHoldsJob,
            PurgeIdempotencyKeysJob,
            PurgeOidcStatesJob,
            EraseInactiveCustomersJob,
            AuditCheckpointJob,
            VerifyAuditJob,
            PurgeDoneJobsJob,
            ReconcilePaymentsJob,
            ReportSnapshotJob,
          ],
        },
      ],
      exports: [JOB_HANDLERS, SCHEDULES],
    };
  }
}
