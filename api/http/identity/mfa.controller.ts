import { Body, Controller, Delete, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import {
  ConfirmMfaCommand,
  DisableMfaCommand,
  StartMfaEnrolmentCommand,
} from '../../../application/identity/mfa.command.js';
import { commandContext } from '../platform/http-context.js';
import { signedIn } from './credentials.js';
import { confirmMfaSchema, disableMfaSchema, startMfaSchema } from './identity.schemas.js';

/** TOTP multi-factor authentication of the signed-in user: enrol an app, confirm it, turn it off. */
@Controller('v1/auth/mfa')
export class MfaController {
  constructor(private readonly commands: CommandBus) {}

  @Post('totp')
  @RouteConfig(signedIn)
  @HttpCode(200)
  @RouteSchema(startMfaSchema)
  start(@Req() request: FastifyRequest) {
    return this.commands.execute(new StartMfaEnrolmentCommand(commandContext(request)));
  }

  @Post('totp/confirm')
  @RouteConfig(signedIn)
  @HttpCode(200)
  @RouteSchema(confirmMfaSchema)
  async confirm(@Body() body: { otp: string }, @Req() request: FastifyRequest) {
    const result = await this.commands.execute(
      new ConfirmMfaCommand(body.otp, request.auth!.sessionId, commandContext(request)),
    );
    return { recoveryCodes: result.recoveryCodes, position: String(result.position) };
  }

  @Delete('totp')
  @RouteConfig(signedIn)
  @HttpCode(204)
  @RouteSchema(disableMfaSchema)
  async disable(
    @Body() body: { password: string; otp?: string; recoveryCode?: string },
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.commands.execute(new DisableMfaCommand(body, request.auth!.sessionId, commandContext(request)));
  }
}
