import { Module } from '@nestjs/common';
import { CreateUserHandler } from '../../../application/identity/create-user.handler.js';
import { EnsureAdminHandler } from '../../../application/identity/ensure-admin.handler.js';
import { LoginHandler } from '../../../application/identity/login.handler.js';
import { LogoutHandler } from '../../../application/identity/logout.handler.js';
import { GetMeHandler } from '../../../application/identity/me.query.js';
import { Passwords } from '../../../application/identity/passwords.js';
import { RefreshHandler } from '../../../application/identity/refresh.handler.js';
import { RegisterUserHandler } from '../../../application/identity/register-user.handler.js';
import { Registration } from '../../../application/identity/registration.service.js';
import { UserDirectory } from '../../../application/identity/user-directory.js';
import { AuthController } from './auth.controller.js';
import { UsersController } from './users.controller.js';

/** Identity: sign-up, sign-in, sessions and their refresh tokens, users. */
@Module({
  controllers: [AuthController, UsersController],
  providers: [UserDirectory, Passwords, Registration, RegisterUserHandler, CreateUserHandler, LoginHandler, RefreshHandler, LogoutHandler, GetMeHandler, EnsureAdminHandler],
})
export class IdentityModule {}
