export interface RegisterUser {
  type: 'RegisterUser';
  data: {
    userId: string;
    email: string;
    name: string;
    roles: string[];
    passwordHash: string;
    customerId?: string;
    now: string;
  };
}

/** A new refresh token starting a new family (a login). */
export interface IssueRefreshToken {
  type: 'IssueRefreshToken';
  data: { tokenId: string; familyId: string; secretHash: string; expiresAt: string; now: string };
}

/** Spend a refresh token and issue its successor in the same family. */
export interface RotateRefreshToken {
  type: 'RotateRefreshToken';
  data: {
    tokenId: string;
    /** sha256 (hex) of the secret that was presented. */
    secretHash: string;
    next: { tokenId: string; secretHash: string; expiresAt: string };
    now: string;
  };
}

/** Log out: revoke the family of the presented refresh token. */
export interface RevokeRefreshTokenFamily {
  type: 'RevokeRefreshTokenFamily';
  data: { tokenId: string; secretHash: string; now: string };
}

export type UserCommand = RegisterUser | IssueRefreshToken | RotateRefreshToken | RevokeRefreshTokenFamily;
