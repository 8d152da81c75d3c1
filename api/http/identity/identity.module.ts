import { Module } from '@nestjs/common';
import { GetCustomerHandler, ListCustomersHandler } from '../../../application/customer/customer.queries.js';
import { RegisterCustomerHandler } from '../../../application/customer/register-customer.handler.js';
import { CreateUserHandler } from '../../../application/identity/create-user.handler.js';
import { EnsureAdminHandler } from '../../../application/identity/ensure-admin.handler.js';
import { IdentityDeps } from '../../../application/identity/identity-deps.js';
import { LoginHandler } from '../../../application/identity/login.handler.js';
import { GetMeHandler } from '../../../application/identity/me.query.js';
import { Passwords } from '../../../application/identity/passwords.js';
import { LogoutHandler, RefreshHandler } from '../../../application/identity/refresh-commands.handlers.js';
import { RegisterUserHandler } from '../../../application/identity/register-user.handler.js';
import { UserRegistrar } from '../../../application/identity/user-registrar.js';
import { AuthController } from './auth.controller.js';
import { CustomersController } from '../customer/customers.controller.js';
import { UsersController } from './users.controller.js';

/** Identity (sign-up, sign-in, token rotation, users) and the customer records users are linked to. */
@Module({
  controllers: [AuthController, UsersController, CustomersController],
  providers: [
    IdentityDeps,
    Passwords,
    UserRegistrar,
    RegisterUserHandler,
    CreateUserHandler,
    LoginHandler,
    RefreshHandler,
    LogoutHandler,
    GetMeHandler,
    EnsureAdminHandler,
    RegisterCustomerHandler,
    GetCustomerHandler,
    ListCustomersHandler,
  ],
})
export class IdentityModule {}
