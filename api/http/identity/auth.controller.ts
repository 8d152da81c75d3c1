import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginCommand } from '../../../application/identity/login.command.js';
import { LogoutCommand } from '../../../application/identity/logout.command.js';
import { GetMeQuery } from '../../../application/identity/me.query.js';
import { RefreshCommand } from '../../../application/identity/refresh.command.js';
import type { TokenPair } from '../../../application/identity/session-tokens.js';
import { RegisterUserCommand } from '../../../application/identity/register-user.command.js';
import { commandContext } from '../platform/http-context.js';
import { loginSchema, logoutSchema, meSchema, refreshSchema, registerSchema } from './identity.schemas.js';

// Answers here carry credentials: they are never stored for Idempotency-Key replays.
const anyone = { access: 'anyone' as const, idempotency: false };
const signedIn = { access: 'signed-in' as const, idempotency: false };

/** Tokens are never cached (RFC 6749 section 5.1). */
const tokens = (reply: FastifyReply, pair: TokenPair): TokenPair => {
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
  return pair;
};

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
    @Body() body: { email: string; password: string; otp?: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.commands.execute(
      new LoginCommand({ email: body.email, password: body.password }, commandContext(request)),
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

  @Get('me')
  @RouteConfig(signedIn)
  @RouteSchema(meSchema)
  async me(@Req() request: FastifyRequest) {
    return this.queries.execute(new GetMeQuery(request.auth!.userId));
  }
}
