export interface UserRegistered {
  type: 'UserRegistered';
  data: {
    userId: string;
    /** Normalised: trimmed, lower-case. */
    email: string;
    name: string;
    roles: string[];
    /** argon2id PHC string; never leaves the write side. */
    passwordHash: string;
    /** Set for users with the customer role: the customer record they are. */
    customerId?: string;
    registeredAt: string;
  };
}

export interface RefreshTokenIssued {
  type: 'RefreshTokenIssued';
  data: {
    userId: string;
    tokenId: string;
    /** Every rotation stays in the family of the login that started it. */
    familyId: string;
    /** sha256 (hex) of the token's secret: the secret itself is never stored. */
    secretHash: string;
    expiresAt: string;
    issuedAt: string;
  };
}

export interface RefreshTokenSpent {
  type: 'RefreshTokenSpent';
  data: { userId: string; tokenId: string; replacedBy?: string; spentAt: string };
}

export type FamilyRevocationReason = 'reuse_detected' | 'logout';

export interface RefreshTokenFamilyRevoked {
  type: 'RefreshTokenFamilyRevoked';
  data: { userId: string; familyId: string; reason: FamilyRevocationReason; revokedAt: string };
}

export type UserEvent = UserRegistered | RefreshTokenIssued | RefreshTokenSpent | RefreshTokenFamilyRevoked;

export const userEventTypes: ReadonlyArray<UserEvent['type']> = ['UserRegistered', 'RefreshTokenIssued', 'RefreshTokenSpent', 'RefreshTokenFamilyRevoked'];

export const userStream = (userId: string): string => `user-${userId}`;
