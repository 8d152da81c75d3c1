/** Credentials or a refresh token that do not authenticate anyone: the API answers 401, always alike. */
export class AuthenticationError extends Error {
  private constructor(
    readonly code: 'INVALID_CREDENTIALS' | 'INVALID_REFRESH_TOKEN',
    detail: string,
  ) {
    super(detail);
    this.name = 'AuthenticationError';
  }

  /** One answer for an unknown email and a wrong password: no hint which it was. */
  static credentials(): AuthenticationError {
    return new AuthenticationError('INVALID_CREDENTIALS', 'The email or password is not correct');
  }

  /** One answer for a malformed, unknown, spent, revoked or expired refresh token. */
  static refreshToken(): AuthenticationError {
    return new AuthenticationError('INVALID_REFRESH_TOKEN', 'The refresh token is not valid; sign in again');
  }
}
