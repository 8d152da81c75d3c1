import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ApplicationModule } from '../../../application/application.module.js';
import { AuditHttpModule } from '../audit/audit.module.js';
import { CustomersHttpModule } from '../customer/customers.module.js';
import { IdentityHttpModule } from '../identity/identity.module.js';
import { NotificationsHttpModule } from '../notification/notifications.module.js';
import { OrdersHttpModule } from '../order/orders.module.js';
import { PaymentsHttpModule } from '../payment/payments.module.js';
import { ProductsHttpModule } from '../product/products.module.js';
import { ReportsHttpModule } from '../report/reports.module.js';
import { HealthController } from './health.controller.js';
import { StaleReadsInterceptor } from './stale-reads.interceptor.js';
import { JobsController } from './jobs.controller.js';
import { ProblemFilter } from './problem.filter.js';
import { ProjectionsController } from './projections.controller.js';

/** The controllers of every area of API.md; the use cases they call are the application's. */
export const areaModules = [
  ProductsHttpModule,
  OrdersHttpModule,
  PaymentsHttpModule,
  CustomersHttpModule,
  IdentityHttpModule,
  AuditHttpModule,
  ReportsHttpModule,
  NotificationsHttpModule,
];

/**
 * The HTTP application: the application module (ports from the composition root in bin/, so this knows
 * no adapter) and the controllers.
 */
@Module({})
export class HttpModule {
  static register(ports: Provider[]): DynamicModule {
    return {
      module: HttpModule,
      imports: [ApplicationModule.register(ports), ...areaModules],
      controllers: [ProjectionsController, JobsController, HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        // Queries without X-Min-Position may read behind (MONGODB_READ_PREFERENCE); everything else reads the primary.
        { provide: APP_INTERCEPTOR, useClass: StaleReadsInterceptor },
      ],
    };
  }
}
