import { Module } from '@nestjs/common';
import { AdjustStockHandler, RepriceProductHandler, RetireProductHandler } from '../../../application/product/product-commands.handlers.js';
import { GetProductHandler, ListProductsHandler } from '../../../application/product/product.queries.js';
import { RegisterProductHandler } from '../../../application/product/register-product.handler.js';
import { ProductsController } from './products.controller.js';

@Module({
  controllers: [ProductsController],
  providers: [RegisterProductHandler, RepriceProductHandler, AdjustStockHandler, RetireProductHandler, GetProductHandler, ListProductsHandler],
})
export class CatalogModule {}
