import { DomainError } from '../../domain/shared/domain-error.js';

/** Credentials or a refresh token that do not authenticate anyone: always the same answer, whatever failed. */
export const AuthenticationErrors = {
  invalidCredentials: 'INVALID_CREDENTIALS',
  invalidRefreshToken: 'INVALID_REFRESH_TOKEN',
} as const;

/** One answer for an unknown email and a wrong password: no hint which it was. */
export const invalidCredentials = (): DomainError => new DomainError(AuthenticationErrors.invalidCredentials, 'The email or password is not correct');

/** One answer for a malformed, unknown, spent, revoked or expired refresh token. */
export const invalidRefreshToken = (): DomainError => new DomainError(AuthenticationErrors.invalidRefreshToken, 'The refresh token is not valid; sign in again');
