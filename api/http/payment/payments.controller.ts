import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CapturePaymentCommand } from '../../../application/payment/capture-payment.command.js';
import { HandleWebhookCommand, type WebhookBody } from '../../../application/payment/handle-webhook.command.js';
import { GetPaymentQuery, ListPaymentsQuery } from '../../../application/payment/payment.queries.js';
import { PAYMENTS_READ_MODEL, type CustomerScope } from '../../../application/payment/payment.view.js';
import { RefundPaymentCommand } from '../../../application/payment/refund-payment.command.js';
import {
  RequestPaymentCommand,
  type RequestPaymentInput,
} from '../../../application/payment/request-payment.command.js';
import type { PaymentStatus } from '../../../domain/payment/payment.state.js';
import type { Money } from '../../../domain/shared/money.js';
import { actsAsCustomer } from '../platform/hooks/auth.hooks.js';
import { commandContext, etag } from '../platform/http-context.js';
import {
  capturePaymentSchema,
  getPaymentSchema,
  listPaymentsSchema,
  refundPaymentSchema,
  requestPaymentSchema,
  webhookSchema,
} from './payments.schemas.js';

const staff = { access: ['staff', 'admin'] as const };
const staffOrCustomer = { access: ['staff', 'admin', 'customer'] as const };

/** A caller acting only as a customer reaches its own orders' payments; everyone else's are 404 to it. */
const scopeOf = (request: FastifyRequest): CustomerScope =>
  actsAsCustomer(request.auth) ? { customerId: request.auth?.customerId } : undefined;

@Controller('v1')
export class PaymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('orders/:id/payments')
  @RouteConfig(staffOrCustomer)
  @HttpCode(201)
  @RouteSchema(requestPaymentSchema)
  async request(
    @Param('id') orderId: string,
    @Body() body: RequestPaymentInput,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new RequestPaymentCommand(orderId, body, scopeOf(request), commandContext(request)),
    );
    reply.header('ETag', etag(result.revision)).header('Location', `/v1/payments/${result.paymentId}`);
    return { paymentId: result.paymentId, status: result.status, position: String(result.position) };
  }

  /** Providers deduplicate by their event id (claimed once), so the route keeps no Idempotency-Key records. */
  @Post('payments/webhooks/:provider')
  @RouteConfig({ access: 'anyone', idempotency: false })
  @HttpCode(200)
  @RouteSchema(webhookSchema)
  async webhook(@Param('provider') provider: string, @Body() body: WebhookBody, @Req() request: FastifyRequest) {
    const signature = request.headers['rentlog-signature'];
    const command = new HandleWebhookCommand(
      provider,
      request.rawBody,
      typeof signature === 'string' ? signature : undefined,
      body,
      commandContext(request),
    );
    return { received: true, ...(await this.commands.execute(command)) };
  }

  @Post('payments/:id/capture')
  @RouteConfig(staff)
  @HttpCode(200)
  @RouteSchema(capturePaymentSchema)
  async capture(
    @Param('id') id: string,
    @Body() body: { amount?: Money },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new CapturePaymentCommand(id, body, commandContext(request)));
    reply.header('ETag', etag(result.revision));
    return { status: result.status, position: String(result.position) };
  }

  @Post('payments/:id/refund')
  @RouteConfig(staff)
  @HttpCode(200)
  @RouteSchema(refundPaymentSchema)
  async refund(
    @Param('id') id: string,
    @Body() body: { amount: Money; reason: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new RefundPaymentCommand(id, body, commandContext(request, body.reason)),
    );
    reply.header('ETag', etag(result.revision));
    return { status: result.status, refunded: result.refunded, position: String(result.position) };
  }

  @Get('payments')
  @RouteConfig({ ...staff, readModels: [PAYMENTS_READ_MODEL] })
  @RouteSchema(listPaymentsSchema)
  list(@Query() query: { orderId?: string; status?: PaymentStatus; limit?: number; cursor?: string }) {
    return this.queries.execute(new ListPaymentsQuery(query));
  }

  @Get('payments/:id')
  @RouteConfig({ ...staffOrCustomer, readModels: [PAYMENTS_READ_MODEL] })
  @RouteSchema(getPaymentSchema)
  async get(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const payment = await this.queries.execute(new GetPaymentQuery(id, scopeOf(request)));
    reply.header('ETag', etag(payment.revision));
    return payment;
  }
}
