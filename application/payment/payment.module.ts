import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../ports/payment-gateway.port.js';
import { CapturePaymentHandler } from './capture-payment.handler.js';
import { HandleWebhookHandler } from './handle-webhook.handler.js';
import { GetPaymentHandler, ListPaymentsHandler } from './payment.queries.js';
import { ReconcilePaymentHandler } from './reconcile-payment.handler.js';
import { ReconcilePaymentsJob } from './reconcile-payments.job.js';
import { RefundPaymentHandler } from './refund-payment.handler.js';
import { RequestPaymentHandler } from './request-payment.handler.js';

@Module({
  providers: [
    RequestPaymentHandler,
    CapturePaymentHandler,
    RefundPaymentHandler,
    HandleWebhookHandler,
    GetPaymentHandler,
    ListPaymentsHandler,
    ReconcilePaymentHandler,
    ReconcilePaymentsJob,
  ],
  exports: [ReconcilePaymentsJob],
})
export class PaymentModule implements OnModuleDestroy {
  constructor(@Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway) {}

  /** The gateway's pending work (the sandbox's delayed webhooks) stops with the application. */
  onModuleDestroy(): Promise<void> {
    return this.gateway.close();
  }
}
