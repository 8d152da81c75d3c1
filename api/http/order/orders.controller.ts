import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CancelOrderCommand } from '../../../application/order/cancel-order.command.js';
import { CloseOrderCommand } from '../../../application/order/close-order.command.js';
import { ConfirmOrderCommand } from '../../../application/order/confirm-order.command.js';
import { ExtendOrderCommand } from '../../../application/order/extend-order.command.js';
import { PickUpOrderCommand } from '../../../application/order/pick-up-order.command.js';
import { ReturnOrderCommand } from '../../../application/order/return-order.command.js';
import { GetOrderQuery, ListOrdersQuery, type OrderCriteria } from '../../../application/order/order.queries.js';
import { ORDERS_READ_MODEL } from '../../../application/order/order.view.js';
import { PlaceOrderCommand, type PlaceOrderInput } from '../../../application/order/place-order.command.js';
import type { Damage } from '../../../domain/order/order.events.js';
import { actsAsCustomer } from '../platform/hooks/auth.hooks.js';
import { commandContext, etag } from '../platform/http-context.js';
import * as s from './orders.schemas.js';

const withCustomers = { access: ['staff', 'admin', 'customer'] as const };
const staffOnly = { access: ['staff', 'admin'] as const };
const readOrders = { ...withCustomers, readModels: [ORDERS_READ_MODEL] };

/** The customer a caller acts as (ownership applies), or undefined for staff and admins. */
const ownerOf = (request: FastifyRequest): string | undefined =>
  actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;

@Controller('v1/orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @RouteConfig(withCustomers)
  @RouteSchema(s.placeOrderSchema)
  async place(
    @Body() body: PlaceOrderInput,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r = await this.commands.execute(new PlaceOrderCommand(body, commandContext(request), ownerOf(request)));
    reply.header('ETag', etag(r.revision)).header('Location', `/v1/orders/${r.orderId}`);
    return {
      orderId: r.orderId,
      status: r.status,
      rentalDays: r.rentalDays,
      subtotal: r.subtotal,
      deposit: r.deposit,
      total: r.total,
      holdExpiresAt: r.holdExpiresAt,
      position: String(r.position),
    };
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @RouteConfig(withCustomers)
  @RouteSchema(s.confirmOrderSchema)
  async confirm(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(
      reply,
      await this.commands.execute(new ConfirmOrderCommand(id, commandContext(request), ownerOf(request))),
    );
  }

  @Post(':id/extend')
  @HttpCode(200)
  @RouteConfig(withCustomers)
  @RouteSchema(s.extendOrderSchema)
  async extend(
    @Param('id') id: string,
    @Body() body: { rentalEnd: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r = await this.commands.execute(
      new ExtendOrderCommand(id, body.rentalEnd, commandContext(request), ownerOf(request)),
    );
    return { ...answer(reply, r), rentalEnd: r.rentalEnd, total: r.total };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RouteConfig(withCustomers)
  @RouteSchema(s.cancelOrderSchema)
  async cancel(
    @Param('id') id: string,
    @Body() body: { reason: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r = await this.commands.execute(
      new CancelOrderCommand(id, body.reason, commandContext(request), ownerOf(request)),
    );
    return { ...answer(reply, r), cancellationFee: r.cancellationFee };
  }

  @Post(':id/pickup')
  @HttpCode(200)
  @RouteConfig(staffOnly)
  @RouteSchema(s.pickUpOrderSchema)
  async pickUp(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.commands.execute(new PickUpOrderCommand(id, commandContext(request))));
  }

  @Post(':id/return')
  @HttpCode(200)
  @RouteConfig(staffOnly)
  @RouteSchema(s.returnOrderSchema)
  async giveBack(
    @Param('id') id: string,
    @Body() body: { returnedOn?: string; damages?: Damage[] },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r = await this.commands.execute(new ReturnOrderCommand(id, body ?? {}, commandContext(request)));
    return { ...answer(reply, r), lateFee: r.lateFee, damageCharges: r.damageCharges, balance: r.balance };
  }

  @Post(':id/close')
  @HttpCode(200)
  @RouteConfig(staffOnly)
  @RouteSchema(s.closeOrderSchema)
  async close(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.commands.execute(new CloseOrderCommand(id, commandContext(request))));
  }

  @Get()
  @RouteConfig(readOrders)
  @RouteSchema(s.listOrdersSchema)
  list(@Query() query: OrderCriteria, @Req() request: FastifyRequest) {
    const owner = ownerOf(request);
    if (owner !== undefined && query.customerId !== undefined && query.customerId !== owner)
      return { items: [], nextCursor: null };
    return this.queries.execute(new ListOrdersQuery(owner === undefined ? query : { ...query, customerId: owner }));
  }

  @Get(':id')
  @RouteConfig(readOrders)
  @RouteSchema(s.getOrderSchema)
  async get(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const order = await this.queries.execute(new GetOrderQuery(id, ownerOf(request)));
    reply.header('ETag', etag(order.revision));
    return order;
  }
}

function answer(reply: FastifyReply, r: { status: string; position: bigint; revision: bigint }) {
  reply.header('ETag', etag(r.revision));
  return { status: r.status, position: String(r.position) };
}
