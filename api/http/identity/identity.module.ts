import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller.js';
import { AuthController } from './auth.controller.js';
import { MfaController } from './mfa.controller.js';
import { OidcController } from './oidc.controller.js';
import { UsersController } from './users.controller.js';

@Module({ controllers: [AuthController, MfaController, OidcController, UsersController, ApiKeysController] })
export class IdentityHttpModule {}
