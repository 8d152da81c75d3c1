import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChangePasswordCommand } from '../../../application/identity/change-password.command.js';
import { EndSessionCommand } from '../../../application/identity/end-session.command.js';
import { LoginCommand } from '../../../application/identity/login.command.js';
import { ListSessionsQuery } from '../../../application/identity/sessions.query.js';
import {
  ConfirmPasswordResetCommand,
  RequestPasswordResetCommand,
} from '../../../application/identity/password-reset.command.js';

import { SignOutEverywhereCommand } from '../../../application/identity/sign-out-everywhere.command.js';
import { LogoutCommand } from '../../../application/identity/logout.command.js';
import { GetMeQuery } from '../../../application/identity/me.query.js';
import { RefreshCommand } from '../../../application/identity/refresh.command.js';
import { RegisterUserCommand } from '../../../application/identity/register-user.command.js';
import { commandContext } from '../platform/http-context.js';
import { anyone, deviceOf, signedIn, tokens } from './credentials.js';
import {
  changePasswordSchema,
  confirmPasswordResetSchema,
  requestPasswordResetSchema,
  emptySignedInSchema,
  endSessionSchema,
  listSessionsSchema,
  loginSchema,
  logoutSchema,
  meSchema,
  refreshSchema,
  registerSchema,
} from './identity.schemas.js';

@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('register')
  @RouteConfig(anyone)
  @HttpCode(201)
  @RouteSchema(registerSchema)
  async register(@Body() body: { email: string; password: string; name: string }, @Req() request: FastifyRequest) {
    const result = await this.commands.execute(new RegisterUserCommand(body, commandContext(request)));
    return { userId: result.userId, customerId: result.customerId, position: String(result.position) };
  }

  @Post('login')
  @RouteConfig(anyone)
  @HttpCode(200)
  @RouteSchema(loginSchema)
  async login(
    @Body() body: { email: string; password: string; otp?: string; recoveryCode?: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.commands.execute(
      new LoginCommand(
        { email: body.email, password: body.password, otp: body.otp, recoveryCode: body.recoveryCode },
        deviceOf(request),
        commandContext(request),
      ),
    );
    return tokens(reply, pair);
  }

  @Post('refresh')
  @RouteConfig(anyone)
  @HttpCode(200)
  @RouteSchema(refreshSchema)
  async refresh(
    @Body() body: { refreshToken: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.commands.execute(new RefreshCommand(body.refreshToken, commandContext(request)));
    return tokens(reply, pair);
  }

  @Post('logout')
  @RouteConfig(signedIn)
  @HttpCode(204)
  @RouteSchema(logoutSchema)
  async logout(@Body() body: { refreshToken: string }, @Req() request: FastifyRequest): Promise<void> {
    await this.commands.execute(new LogoutCommand(body.refreshToken, commandContext(request)));
  }

  @Post('logout-all')
  @RouteConfig(signedIn)
  @HttpCode(204)
  @RouteSchema(emptySignedInSchema('Sign out everywhere: every session and access token of yours stops working'))
  async logoutAll(@Req() request: FastifyRequest): Promise<void> {
    await this.commands.execute(new SignOutEverywhereCommand(commandContext(request)));
  }

  @Post('password')
  @RouteConfig(signedIn)
  @HttpCode(204)
  @RouteSchema(changePasswordSchema)
  async changePassword(
    @Body() body: { currentPassword: string; newPassword: string },
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commands.execute(new ChangePasswordCommand(body, request.auth!.sessionId, commandContext(request)));
  }

  @Post('password-reset')
  @RouteConfig(anyone)
  @HttpCode(202)
  @RouteSchema(requestPasswordResetSchema)
  async requestPasswordReset(@Body() body: { email: string }, @Req() request: FastifyRequest): Promise<void> {
    await this.commands.execute(new RequestPasswordResetCommand(body.email, commandContext(request)));
  }

  @Post('password-reset/confirm')
  @RouteConfig(anyone)
  @HttpCode(204)
  @RouteSchema(confirmPasswordResetSchema)
  async confirmPasswordReset(
    @Body() body: { token: string; newPassword: string },
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commands.execute(new ConfirmPasswordResetCommand(body.token, body.newPassword, commandContext(request)));
  }

  @Get('sessions')
  @RouteConfig(signedIn)
  @RouteSchema(listSessionsSchema)
  sessions(@Req() request: FastifyRequest) {
    return this.queries.execute(new ListSessionsQuery(request.auth!.userId, request.auth!.sessionId));
  }

  @Delete('sessions/:id')
  @RouteConfig(signedIn)
  @HttpCode(204)
  @RouteSchema(endSessionSchema)
  async endSession(@Param('id') id: string, @Req() request: FastifyRequest): Promise<void> {
    await this.commands.execute(new EndSessionCommand(id, commandContext(request)));
  }

  @Get('me')
  @RouteConfig(signedIn)
  @RouteSchema(meSchema)
  async me(@Req() request: FastifyRequest) {
    return this.queries.execute(new GetMeQuery(request.auth!.userId));
  }
}
