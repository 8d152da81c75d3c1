import { Module } from '@nestjs/common';
import { OrderDeps } from '../../../application/order/order-deps.js';
import {
  CancelOrderHandler,
  CloseOrderHandler,
  ConfirmOrderHandler,
  ExpireOrderHandler,
  ExtendOrderHandler,
  PickUpOrderHandler,
  ReturnOrderHandler,
} from '../../../application/order/order-lifecycle.handlers.js';
import { GetAvailabilityHandler, GetOrderHandler, ListOrdersHandler } from '../../../application/order/order.queries.js';
import { PlaceOrderHandler } from '../../../application/order/place-order.handler.js';
import { OrdersController } from './orders.controller.js';

@Module({
  controllers: [OrdersController],
  providers: [
    OrderDeps,
    PlaceOrderHandler,
    ConfirmOrderHandler,
    ExtendOrderHandler,
    CancelOrderHandler,
    ExpireOrderHandler,
    PickUpOrderHandler,
    ReturnOrderHandler,
    CloseOrderHandler,
    GetOrderHandler,
    ListOrdersHandler,
    GetAvailabilityHandler,
  ],
})
export class OrdersModule {}
