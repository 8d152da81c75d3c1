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
  /** An identity at an OpenID provider is some other user's already. */
  externalIdentityTaken: 'EXTERNAL_IDENTITY_TAKEN',
} as const;
