import { Module } from '@nestjs/common';
import { AdjustStockHandler } from '../../../application/product/adjust-stock.handler.js';
import { GetProductHandler, ListProductsHandler } from '../../../application/product/product.queries.js';
import { RegisterProductHandler } from '../../../application/product/register-product.handler.js';
import { RepriceProductHandler } from '../../../application/product/reprice-product.handler.js';
import { RetireProductHandler } from '../../../application/product/retire-product.handler.js';
import { ProductsController } from './products.controller.js';

@Module({
  controllers: [ProductsController],
  providers: [RegisterProductHandler, RepriceProductHandler, AdjustStockHandler, RetireProductHandler, GetProductHandler, ListProductsHandler],
})
export class ProductsModule {}
