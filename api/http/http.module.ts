import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit.module.js';
import { CatalogModule } from './catalog.module.js';
import { OrdersModule } from './orders.module.js';
import { HealthController } from './health.controller.js';
import { IdentityModule } from './identity.module.js';
import { PaymentsModule } from './payments.module.js';
import { PortsModule } from './ports.module.js';
import { ProblemFilter } from './problem.filter.js';
import { ProjectionsController } from './projections.controller.js';

/** Feature modules, one per area of API.md; each brings its controllers and handlers. */
export const featureModules = [CatalogModule, OrdersModule, AuditModule, IdentityModule, PaymentsModule];

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
