export const IdentityErrors = {
  alreadyRegistered: 'USER_ALREADY_REGISTERED',
  notFound: 'USER_NOT_FOUND',
  invalid: 'USER_INVALID',
  passwordPolicy: 'PASSWORD_POLICY',
  emailTaken: 'EMAIL_TAKEN',
  /** One answer for an unknown email and a wrong password: no hint which it was. */
  invalidCredentials: 'INVALID_CREDENTIALS',
  /** One answer for a malformed, unknown, spent, ended or expired refresh token. */
  invalidRefreshToken: 'INVALID_REFRESH_TOKEN',
  sessionAlreadyStarted: 'SESSION_ALREADY_STARTED',
  sessionNotFound: 'SESSION_NOT_FOUND',
  currentPasswordIncorrect: 'CURRENT_PASSWORD_INCORRECT',
  /** Too many consecutive failed sign-ins for one email (known or not): refused for a while, or until unlocked. */
  signInLocked: 'SIGN_IN_LOCKED',
  /** Too many failed sign-ins from one client address. */
  signInThrottled: 'SIGN_IN_THROTTLED',
  /** A reset link that is unknown, wrong, used, expired or older than the last password change. */
  passwordResetTokenInvalid: 'PASSWORD_RESET_TOKEN_INVALID',
  /** An identity at an OpenID provider is some other user's already. */
  externalIdentityTaken: 'EXTERNAL_IDENTITY_TAKEN',
  oidcProviderNotFound: 'OIDC_PROVIDER_NOT_FOUND',
  /** One answer for a state that is unknown, expired, spent already or another provider's. */
  oidcStateInvalid: 'OIDC_STATE_INVALID',
  /** The provider sent an error instead of a code, or the code did not give verified claims. */
  oidcCodeInvalid: 'OIDC_CODE_INVALID',
  /** Signing up or linking by email needs an email the provider says it verified. */
  oidcEmailNotVerified: 'OIDC_EMAIL_NOT_VERIFIED',
  oidcProviderUnavailable: 'OIDC_PROVIDER_UNAVAILABLE',
  /** The name, roles or expiry of a new API key do not hold. */
  apiKeyDefinitionInvalid: 'API_KEY_DEFINITION_INVALID',
  apiKeyNotFound: 'API_KEY_NOT_FOUND',
  /** The password was right, MFA is on, and no valid one-time or recovery code came with it. */
  mfaRequired: 'MFA_REQUIRED',
  /** The user's roles need MFA (MFA_REQUIRED_ROLES) and it is not on yet: only enrolment is open. */
  mfaEnrolmentRequired: 'MFA_ENROLMENT_REQUIRED',
  mfaAlreadyEnabled: 'MFA_ALREADY_ENABLED',
  mfaNotEnabled: 'MFA_NOT_ENABLED',
  mfaEnrolmentNotStarted: 'MFA_ENROLMENT_NOT_STARTED',
  /** A one-time or recovery code that is wrong, spent, or outside the drift window. */
  mfaCodeInvalid: 'MFA_CODE_INVALID',
} as const;
