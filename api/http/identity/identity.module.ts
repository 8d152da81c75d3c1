import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { OidcController } from './oidc.controller.js';
import { UsersController } from './users.controller.js';

@Module({ controllers: [AuthController, OidcController, UsersController] })
export class IdentityHttpModule {}
