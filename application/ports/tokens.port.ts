export const TOKENS = Symbol('Tokens');

export const ROLES = ['admin', 'staff', 'customer', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** What a signed-in caller is: the user, its current roles, and the session it signed in with. */
export interface AccessClaims {
  userId: string;
  roles: Role[];
  /** Set for users with the customer role: the customer record they are. */
  customerId?: string;
  /** The session the access token was issued in. */
  sessionId: string;
  /** The user's token version when it was issued: signing out everywhere moves it on. */
  tokenVersion: number;
  /**
   * Set when the caller is a service calling with an API key (`X-API-Key`), not a user: then `userId`
   * and `sessionId` are `apikey:<id>` (what the event metadata and the logs show as the actor).
   */
  apiKeyId?: string;
  /** Whether the user has MFA on now (from the access check; never from the token). */
  mfaEnabled?: boolean;
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Signs and checks short-lived access tokens. A token that verifies is only as good as its session:
 * the API checks the session and the user's current state on every request (AccessCheck).
 */
export interface Tokens {
  issueAccess(claims: AccessClaims): { token: string; expiresIn: number };
  /** Throws InvalidTokenError for a bad signature, an unknown key, a wrong algorithm, type, issuer or audience, an expired, not yet valid or too long-lived token. */
  verifyAccess(token: string): AccessClaims;
}
