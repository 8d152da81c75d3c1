export const UserErrors = {
  alreadyRegistered: 'USER_ALREADY_REGISTERED',
  notFound: 'USER_NOT_FOUND',
  invalid: 'USER_INVALID',
  passwordPolicy: 'PASSWORD_POLICY',
  emailTaken: 'EMAIL_TAKEN',
  refreshTokenUnknown: 'REFRESH_TOKEN_UNKNOWN',
  refreshTokenSpent: 'REFRESH_TOKEN_SPENT',
  refreshTokenRevoked: 'REFRESH_TOKEN_REVOKED',
  refreshTokenExpired: 'REFRESH_TOKEN_EXPIRED',
} as const;

export type UserErrorCode = (typeof UserErrors)[keyof typeof UserErrors];

/** The codes that mean "this refresh token cannot be used": the API answers all of them alike (401). */
export const refreshTokenErrorCodes: ReadonlySet<string> = new Set([
  UserErrors.refreshTokenUnknown,
  UserErrors.refreshTokenSpent,
  UserErrors.refreshTokenRevoked,
  UserErrors.refreshTokenExpired,
]);
