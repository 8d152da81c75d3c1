import { Module } from '@nestjs/common';
import { CreateApiKeyHandler, RevokeApiKeyHandler } from './api-keys.handler.js';
import { RecordApiKeyUseHandler } from './record-api-key-use.handler.js';
import { ListApiKeysHandler } from './api-keys.query.js';
import { Mfa } from './mfa.js';
import { ConfirmMfaHandler, DisableMfaHandler, StartMfaEnrolmentHandler } from './mfa.handler.js';
import { UserSessions } from './user-sessions.js';
import { ChangePasswordHandler } from './change-password.handler.js';
import { DisableUserHandler, EnableUserHandler } from './disable-user.handler.js';
import { EndSessionHandler } from './end-session.handler.js';
import { ListSessionsHandler } from './sessions.query.js';
import { SignOutEverywhereHandler } from './sign-out-everywhere.handler.js';
import { CreateUserHandler } from './create-user.handler.js';
import { EnsureAdminHandler } from './ensure-admin.handler.js';
import { LoginHandler } from './login.handler.js';
import { LogoutHandler } from './logout.handler.js';
import { GetMeHandler } from './me.query.js';
import { NotificationModule } from '../notification/notification.module.js';
import { ConfirmPasswordResetHandler, RequestPasswordResetHandler } from './password-reset.handler.js';
import { PasswordPolicy } from './password-policy.service.js';

import { Passwords } from './passwords.js';

import { RefreshHandler } from './refresh.handler.js';
import { RegisterUserHandler } from './register-user.handler.js';
import { Registration } from './registration.service.js';
import { SignInGuard } from './sign-in-guard.js';
import { SignIn } from './sign-in.service.js';
import { ExternalIdentities } from './external-identities.js';
import { FinishOidcSignInHandler, StartOidcSignInHandler } from './oidc-sign-in.handler.js';
import { OidcStates } from './oidc-states.js';
import { PurgeOidcStatesJob } from './purge-oidc-states.job.js';
import { UserDirectory } from './user-directory.js';

/** Identity: sign-up, sign-in (password, OpenID providers), sessions and their refresh tokens, users. */
@Module({
  imports: [NotificationModule],
  providers: [
    UserDirectory,
    Passwords,
    PasswordPolicy,
    SignInGuard,
    Registration,
    SignIn,
    RegisterUserHandler,
    CreateUserHandler,
    LoginHandler,
    RefreshHandler,
    LogoutHandler,
    GetMeHandler,
    EnsureAdminHandler,
    SignOutEverywhereHandler,
    ChangePasswordHandler,
    DisableUserHandler,
    EnableUserHandler,
    EndSessionHandler,
    ListSessionsHandler,
    RequestPasswordResetHandler,
    ConfirmPasswordResetHandler,
    OidcStates,
    ExternalIdentities,
    StartOidcSignInHandler,
    FinishOidcSignInHandler,
    PurgeOidcStatesJob,
    CreateApiKeyHandler,
    RevokeApiKeyHandler,
    RecordApiKeyUseHandler,
    ListApiKeysHandler,
    UserSessions,
    Mfa,
    StartMfaEnrolmentHandler,
    ConfirmMfaHandler,
    DisableMfaHandler,
  ],

  exports: [PurgeOidcStatesJob],
})
export class IdentityModule {}
