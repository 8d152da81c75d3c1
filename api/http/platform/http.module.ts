import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from '../audit/audit.module.js';
import { ProductsModule } from '../product/products.module.js';
import { CustomersModule } from '../customer/customers.module.js';
import { OrdersModule } from '../order/orders.module.js';
import { HealthController } from './health.controller.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PaymentsModule } from '../payment/payments.module.js';
import { PortsModule } from './ports.module.js';
import { ProblemFilter } from './problem.filter.js';
import { ProjectionsController } from './projections.controller.js';

/** Feature modules, one per area of API.md; each brings its controllers and handlers. */
export const featureModules = [ProductsModule, OrdersModule, PaymentsModule, CustomersModule, IdentityModule, AuditModule];

/**
 * The HTTP application. Ports arrive as providers from the composition root (bin/), so this module
 * knows no adapter.
 */
@Module({})
export class HttpModule {
  static register(ports: Provider[]): DynamicModule {
    return {
      module: HttpModule,
      imports: [CqrsModule.forRoot(), PortsModule.register(ports), ...featureModules],
      controllers: [ProjectionsController, HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
