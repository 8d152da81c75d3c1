import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AdjustStockHandler, RepriceProductHandler, RetireProductHandler } from '../../application/product/product-commands.handlers.js';
import { ProductDeps } from '../../application/product/product-deps.js';
import { GetProductHandler, ListProductsHandler } from '../../application/product/product.queries.js';
import { RegisterProductHandler } from '../../application/product/register-product.handler.js';
import { HealthController } from './health.controller.js';
import { ProblemFilter } from './problem.filter.js';
import { ProductsController } from './products.controller.js';
import { ProjectionsController } from './projections.controller.js';

const handlers = [RegisterProductHandler, RepriceProductHandler, AdjustStockHandler, RetireProductHandler, GetProductHandler, ListProductsHandler];

/**
 * The HTTP application. Ports arrive as providers from the composition root (bin/), so this module
 * knows no adapter.
 */
@Module({})
export class HttpModule {
  static register(ports: Provider[]): DynamicModule {
    return {
      module: HttpModule,
      imports: [CqrsModule.forRoot()],
      controllers: [ProductsController, ProjectionsController, HealthController],
      providers: [...ports, ProductDeps, ...handlers, { provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
