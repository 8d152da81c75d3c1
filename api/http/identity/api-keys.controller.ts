import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateApiKeyCommand,
  RevokeApiKeyCommand,
  type NewApiKey,
} from '../../../application/identity/api-keys.command.js';
import { ListApiKeysQuery } from '../../../application/identity/api-keys.query.js';
import { ACCESS_READ_MODEL } from '../../../application/identity/access.view.js';
import { commandContext } from '../platform/http-context.js';
import { createApiKeySchema, listApiKeysSchema, revokeApiKeySchema } from './identity.schemas.js';

const admin = ['admin'] as const;

/** API keys for service-to-service calls (`X-API-Key`): created, listed and revoked by admins. */
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** The answer holds the key: never kept for an Idempotency-Key replay, never cached. */
  @Post()
  @RouteConfig({ access: admin, idempotency: false })
  @HttpCode(201)
  @RouteSchema(createApiKeySchema)
  async create(
    @Body() body: NewApiKey,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.commands.execute(new CreateApiKeyCommand(body, commandContext(request)));
    reply.header('Cache-Control', 'no-store');
    return { ...created, position: String(created.position) };
  }

  @Get()
  @RouteConfig({ access: admin, readModels: [ACCESS_READ_MODEL] })
  @RouteSchema(listApiKeysSchema)
  list(@Query() query: { limit?: number; cursor?: string }) {
    return this.queries.execute(new ListApiKeysQuery(query));
  }

  @Delete(':id')
  @RouteConfig({ access: admin })
  @HttpCode(204)
  @RouteSchema(revokeApiKeySchema)
  async revoke(@Param('id') id: string, @Req() request: FastifyRequest): Promise<void> {
    await this.commands.execute(new RevokeApiKeyCommand(id, commandContext(request)));
  }
}
