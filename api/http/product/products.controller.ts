import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdjustStockCommand } from '../../../application/product/adjust-stock.command.js';
import { RepriceProductCommand } from '../../../application/product/reprice-product.command.js';
import { RetireProductCommand } from '../../../application/product/retire-product.command.js';
import { GetProductQuery, ListProductsQuery, type ProductSort } from '../../../application/product/product.queries.js';
import { PRODUCTS_READ_MODEL } from '../../../application/product/product.view.js';
import {
  RegisterProductCommand,
  type RegisterProductInput,
} from '../../../application/product/register-product.command.js';
import type { Money } from '../../../domain/shared/money.js';
import { GetAvailabilityQuery } from '../../../application/order/order.queries.js';
import { AVAILABILITY_READ_MODEL } from '../../../application/order/order.view.js';
import { commandContext, etag } from '../platform/http-context.js';
import { availabilitySchema } from '../order/orders.schemas.js';
import {
  adjustStockSchema,
  getProductSchema,
  listProductsSchema,
  registerProductSchema,
  repriceProductSchema,
  retireProductSchema,
} from './products.schemas.js';

const readsProducts = { readModels: [PRODUCTS_READ_MODEL], access: 'anyone' as const };
const readsAvailability = { readModels: [AVAILABILITY_READ_MODEL], access: 'anyone' as const };
const catalogStaff = { access: ['staff', 'admin'] as const };

@Controller('v1/products')
export class ProductsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RouteConfig(catalogStaff)
  @HttpCode(201)
  @RouteSchema(registerProductSchema)
  async register(
    @Body() body: RegisterProductInput,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new RegisterProductCommand(body, commandContext(request)));
    reply.header('ETag', etag(result.revision)).header('Location', `/v1/products/${result.productId}`);
    return { productId: result.productId, position: String(result.position) };
  }

  @Post(':id/reprice')
  @RouteConfig(catalogStaff)
  @HttpCode(200)
  @RouteSchema(repriceProductSchema)
  async reprice(
    @Param('id') id: string,
    @Body() body: { dailyRate: Money; deposit?: Money },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new RepriceProductCommand(id, body, commandContext(request)));
    reply.header('ETag', etag(result.revision));
    return { position: String(result.position) };
  }

  @Post(':id/stock')
  @RouteConfig(catalogStaff)
  @HttpCode(200)
  @RouteSchema(adjustStockSchema)
  async adjustStock(
    @Param('id') id: string,
    @Body() body: { delta: number; reason: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new AdjustStockCommand(id, body, commandContext(request, body.reason)));
    reply.header('ETag', etag(result.revision));
    return { stock: result.stock, position: String(result.position) };
  }

  @Post(':id/retire')
  @RouteConfig(catalogStaff)
  @HttpCode(200)
  @RouteSchema(retireProductSchema)
  async retire(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new RetireProductCommand(id, commandContext(request)));
    reply.header('ETag', etag(result.revision));
    return { position: String(result.position) };
  }

  @Get()
  @RouteConfig(readsProducts)
  @RouteSchema(listProductsSchema)
  list(
    @Query()
    query: {
      category?: string;
      q?: string;
      active?: boolean;
      sort?: ProductSort;
      limit?: number;
      cursor?: string;
    },
  ) {
    return this.queries.execute(new ListProductsQuery(query));
  }

  @Get(':id/availability')
  @RouteConfig(readsAvailability)
  @RouteSchema(availabilitySchema)
  async availability(@Param('id') id: string, @Query() query: { from: string; to: string }) {
    return this.queries.execute(new GetAvailabilityQuery(id, query.from, query.to));
  }

  @Get(':id')
  @RouteConfig(readsProducts)
  @RouteSchema(getProductSchema)
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const product = await this.queries.execute(new GetProductQuery(id));
    reply.header('ETag', etag(product.revision));
    return product;
  }
}
