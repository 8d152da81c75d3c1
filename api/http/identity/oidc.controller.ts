import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FinishOidcSignInCommand, StartOidcSignInCommand } from '../../../application/identity/oidc-sign-in.command.js';
import { commandContext } from '../platform/http-context.js';
import { anyone, deviceOf, tokens } from './credentials.js';
import { oidcCallbackSchema, oidcStartSchema } from './identity.schemas.js';

/** The query string exactly as the provider sent it (openid-client checks every parameter of it). */
const queryOf = (request: FastifyRequest): URLSearchParams =>
  new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');

/**
 * Sign-in at an OpenID provider (authorization code flow with PKCE): `start` redirects the browser
 * there, the provider redirects it back to `callback`, which answers what login does. Both spend the
 * `sign-in` rate limit.
 */
@Controller('v1/auth/oidc')
export class OidcController {
  constructor(private readonly commands: CommandBus) {}

  @Get(':provider/start')
  @RouteConfig(anyone)
  @RouteSchema(oidcStartSchema)
  async start(@Param('provider') provider: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { url } = await this.commands.execute(new StartOidcSignInCommand(provider, commandContext(request)));
    return reply.header('Cache-Control', 'no-store').redirect(url, 302);
  }

  @Get(':provider/callback')
  @RouteConfig(anyone)
  @RouteSchema(oidcCallbackSchema)
  async callback(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.commands.execute(
      new FinishOidcSignInCommand(provider, queryOf(request), deviceOf(request), commandContext(request)),
    );
    return tokens(reply, pair);
  }
}
