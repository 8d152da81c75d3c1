import { Module } from '@nestjs/common';
import { CancelOrderHandler } from '../../../application/order/cancel-order.handler.js';
import { CloseOrderHandler } from '../../../application/order/close-order.handler.js';
import { ConfirmOrderHandler } from '../../../application/order/confirm-order.handler.js';
import { ExpireOrderHandler } from '../../../application/order/expire-order.handler.js';
import { ExtendOrderHandler } from '../../../application/order/extend-order.handler.js';
import { GetAvailabilityHandler, GetOrderHandler, ListOrdersHandler } from '../../../application/order/order.queries.js';
import { PickUpOrderHandler } from '../../../application/order/pick-up-order.handler.js';
import { PlaceOrderHandler } from '../../../application/order/place-order.handler.js';
import { ReturnOrderHandler } from '../../../application/order/return-order.handler.js';
import { OrdersController } from './orders.controller.js';

@Module({
  controllers: [OrdersController],
  providers: [
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
