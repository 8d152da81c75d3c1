import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { CreateUserCommand } from '../../../application/identity/create-user.command.js';
import type { NewUser } from '../../../application/identity/registration.service.js';
import { commandContext } from '../platform/http-context.js';
import { createUserSchema, userStatusSchema } from './identity.schemas.js';
import { DisableUserCommand, EnableUserCommand } from '../../../application/identity/disable-user.command.js';

@Controller('v1/users')
export class UsersController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @RouteConfig({ access: ['admin'] as const })
  @HttpCode(201)
  @RouteSchema(createUserSchema)
  async create(@Body() body: NewUser, @Req() request: FastifyRequest) {
    const result = await this.commands.execute(new CreateUserCommand(body, commandContext(request)));
    return {
      userId: result.userId,
      ...(result.customerId ? { customerId: result.customerId } : {}),
      position: String(result.position),
    };
  }

  @Post(':id/disable')
  @RouteConfig({ access: ['admin'] as const })
  @HttpCode(200)
  @RouteSchema(
    userStatusSchema('Disable a user: no more sign-ins; its sessions and access tokens stop working at once', true),
  )
  async disable(@Param('id') id: string, @Body() body: { reason: string }, @Req() request: FastifyRequest) {
    return {
      position: String(
        (await this.commands.execute(new DisableUserCommand(id, body.reason, commandContext(request)))).position,
      ),
    };
  }

  @Post(':id/enable')
  @RouteConfig({ access: ['admin'] as const })
  @HttpCode(200)
  @RouteSchema(userStatusSchema('Enable a disabled user again', false))
  async enable(@Param('id') id: string, @Req() request: FastifyRequest) {
    return {
      position: String((await this.commands.execute(new EnableUserCommand(id, commandContext(request)))).position),
    };
  }
}
