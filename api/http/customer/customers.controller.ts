import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { EraseCustomerCommand } from '../../../application/privacy/erase-customer.command.js';
import { ExportCustomerQuery } from '../../../application/privacy/export-customer.query.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GetCustomerQuery, ListCustomersQuery } from '../../../application/customer/customer.queries.js';
import { CUSTOMERS_READ_MODEL } from '../../../application/customer/customer.view.js';
import {
  RegisterCustomerCommand,
  type RegisterCustomerInput,
} from '../../../application/customer/register-customer.command.js';
import {
  UpdateCustomerCommand,
  type UpdateCustomerInput,
} from '../../../application/customer/update-customer.command.js';
import { actsAsCustomer } from '../platform/hooks/auth.hooks.js';
import { commandContext, etag } from '../platform/http-context.js';
import {
  eraseCustomerSchema,
  exportCustomerSchema,
  getCustomerSchema,
  listCustomersSchema,
  registerCustomerSchema,
  updateCustomerSchema,
} from './customers.schemas.js';

const staff = ['staff', 'admin'] as const;
const readsCustomers = { readModels: [CUSTOMERS_READ_MODEL] };

@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RouteConfig({ access: staff })
  @HttpCode(201)
  @RouteSchema(registerCustomerSchema)
  async register(
    @Body() body: RegisterCustomerInput,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new RegisterCustomerCommand(body, commandContext(request)));
    reply.header('ETag', etag(result.revision)).header('Location', `/v1/customers/${result.customerId}`);
    return { customerId: result.customerId, position: String(result.position) };
  }

  @Get()
  @RouteConfig({ ...readsCustomers, access: staff })
  @RouteSchema(listCustomersSchema)
  list(@Query() query: { q?: string; limit?: number; cursor?: string }) {
    return this.queries.execute(new ListCustomersQuery(query));
  }

  /** A customer reaches only its own record: any other is as missing as an unknown id (404, not 403). */
  @Get(':id')
  @RouteConfig({ ...readsCustomers, access: [...staff, 'customer'] as const })
  @RouteSchema(getCustomerSchema)
  async get(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const owner = actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;
    const customer = await this.queries.execute(new GetCustomerQuery(id, owner));
    reply.header('ETag', etag(customer.revision));
    return customer;
  }

  /** Staff change any customer, a customer only itself (any other is a 404). */
  @Patch(':id')
  @RouteConfig({ access: [...staff, 'customer'] as const })
  @RouteSchema(updateCustomerSchema)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateCustomerInput,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const owner = actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;
    const result = await this.commands.execute(new UpdateCustomerCommand(id, body, commandContext(request), owner));
    reply.header('ETag', etag(result.revision));
    return { position: String(result.position) };
  }

  /** GDPR erasure: the customer's keys are destroyed, so none of its personal data can be read again anywhere. */
  @Delete(':id')
  @RouteConfig({ access: ['admin'] as const })
  @HttpCode(202)
  @RouteSchema(eraseCustomerSchema)
  async erase(@Param('id') id: string, @Req() request: FastifyRequest) {
    const { position } = await this.commands.execute(new EraseCustomerCommand(id, commandContext(request)));
    return { position: String(position) };
  }

  /** GDPR Art. 15/20: everything held about the customer, as one JSON document; a customer gets only its own. */
  @Get(':id/export')
  @RouteConfig({
    readModels: [CUSTOMERS_READ_MODEL, 'orders', 'payments', 'uploads'],
    access: ['admin', 'customer'] as const,
  })
  @RouteSchema(exportCustomerSchema)
  async export(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const owner = actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;
    const exported = await this.queries.execute(new ExportCustomerQuery(id, owner));
    reply.header('Content-Disposition', `attachment; filename="customer-${id}.json"`);
    return exported;
  }
}
