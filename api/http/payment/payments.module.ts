import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { CapturePaymentHandler } from '../../../application/payment/capture-payment.handler.js';
import { HandleWebhookHandler } from '../../../application/payment/handle-webhook.handler.js';
import { GetPaymentHandler, ListPaymentsHandler } from '../../../application/payment/payment.queries.js';
import { RefundPaymentHandler } from '../../../application/payment/refund-payment.handler.js';
import { RequestPaymentHandler } from '../../../application/payment/request-payment.handler.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../../../application/ports/payment-gateway.port.js';
import { PaymentsController } from './payments.controller.js';

@Module({
  controllers: [PaymentsController],
  providers: [RequestPaymentHandler, CapturePaymentHandler, RefundPaymentHandler, HandleWebhookHandler, GetPaymentHandler, ListPaymentsHandler],
})
export class PaymentsModule implements OnModuleDestroy {
  constructor(@Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway) {}

  /** The gateway's pending work (the sandbox's delayed webhooks) stops with the app, before its server closes. */
  onModuleDestroy(): Promise<void> {
    return this.gateway.close();
  }
}
