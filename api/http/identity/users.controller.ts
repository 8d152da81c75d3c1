import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { CreateUserCommand } from '../../../application/identity/create-user.command.js';
import type { NewUser } from '../../../application/identity/registration.service.js';
import { commandContext } from '../platform/http-context.js';
import { createUserSchema } from './identity.schemas.js';

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
}
