import { Module } from '@nestjs/common';
import { AddDamagePhotoHandler } from './add-damage-photo.handler.js';
import { CancelOrderHandler } from './cancel-order.handler.js';
import { CloseOrderHandler } from './close-order.handler.js';
import { ConfirmOrderHandler } from './confirm-order.handler.js';
import { CustomerLimits } from './customer-limits.js';
import { ExpireHoldsJob } from './expire-holds.job.js';
import { ExpireOrderHandler } from './expire-order.handler.js';
import { ExtendOrderHandler } from './extend-order.handler.js';
import { GetAvailabilityHandler, GetOrderHandler, ListOrdersHandler } from './order.queries.js';
import { PickUpOrderHandler } from './pick-up-order.handler.js';
import { PlaceOrderHandler } from './place-order.handler.js';
import { RecordOrderPaymentHandler } from './record-order-payment.handler.js';
import { ReturnOrderHandler } from './return-order.handler.js';

/** Orders: their life cycle, their payments as the order sees them, queries and jobs. */
@Module({
  providers: [
    CustomerLimits,
    PlaceOrderHandler,

    ConfirmOrderHandler,
    ExtendOrderHandler,
    CancelOrderHandler,
    ExpireOrderHandler,
    PickUpOrderHandler,
    ReturnOrderHandler,
    CloseOrderHandler,
    AddDamagePhotoHandler,
    RecordOrderPaymentHandler,
    GetOrderHandler,
    ListOrdersHandler,
    GetAvailabilityHandler,
    ExpireHoldsJob,
  ],
  exports: [ExpireHoldsJob],
})
export class OrderModule {}
