export const TOKENS = Symbol('Tokens');

export const ROLES = ['admin', 'staff', 'customer', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** What a verified access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  roles: Role[];
  /** Set for users with the customer role: the customer record they are. */
  customerId?: string;
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** Signs and checks short-lived access tokens. */
export interface Tokens {
  issueAccess(claims: AccessClaims): { token: string; expiresIn: number };
  /** Throws InvalidTokenError for a bad signature, wrong algorithm, issuer or audience, or an expired token. */
  verifyAccess(token: string): AccessClaims;
}
