import { Module } from '@nestjs/common';
import { AdjustStockHandler } from './adjust-stock.handler.js';
import { GetProductHandler, ListProductsHandler } from './product.queries.js';
import { RegisterProductHandler } from './register-product.handler.js';
import { ReleaseOrphanHoldsJob } from './release-orphan-holds.job.js';
import { ReleaseUnitsHandler } from './release-units.handler.js';
import { RepriceProductHandler } from './reprice-product.handler.js';
import { RetireProductHandler } from './retire-product.handler.js';

/** The catalog and its bookings: use cases, queries and jobs of the product area. */
@Module({
  providers: [
    RegisterProductHandler,
    RepriceProductHandler,
    AdjustStockHandler,
    RetireProductHandler,
    ReleaseUnitsHandler,
    GetProductHandler,
    ListProductsHandler,
    ReleaseOrphanHoldsJob,
  ],
  exports: [ReleaseOrphanHoldsJob],
})
export class ProductModule {}
