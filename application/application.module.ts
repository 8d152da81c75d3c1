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
import { PaymentModule } from './payment/payment.module.js';
import { EraseInactiveCustomersJob } from './privacy/erase-inactive-customers.job.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { ProductModule } from './product/product.module.js';
import { ReleaseOrphanHoldsJob } from './product/release-orphan-holds.job.js';
import { ReportModule } from './report/report.module.js';
import { ReconcilePaymentsSchedule } from './payment/reconcile-payments.schedule.js';
import { JOBS, SCHEDULES, type Job, type Schedule } from './shared/job.js';
import { PortsModule } from './shared/ports.module.js';
import { PurgeIdempotencyKeysJob } from './shared/purge-idempotency-keys.job.js';

/** The workflows the worker runs on the durable subscriber. */
export const workflows = [orderPaymentsWorkflow, releaseUnitsWorkflow] as const;

/**
 * The application: every area's use cases, queries, jobs, over the ports the composition root gives.
 * The HTTP API and the worker run on the same modules and the same command bus.
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
      ],
      providers: [
        PurgeIdempotencyKeysJob,
        {
          provide: JOBS,
          useFactory: (...jobs: Job[]) => jobs,
          inject: [
            ExpireHoldsJob,
            ReleaseOrphanHoldsJob,
            PurgeIdempotencyKeysJob,
            PurgeOidcStatesJob,
            EraseInactiveCustomersJob,
            AuditCheckpointJob,
            VerifyAuditJob,
          ],
        },
        {
          provide: SCHEDULES,
          useFactory: (...schedules: Schedule[]) => schedules,
          inject: [ReconcilePaymentsSchedule],
        },
      ],
      exports: [JOBS, SCHEDULES],
    };
  }
}
