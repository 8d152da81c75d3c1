/** A refresh token as the session keeps it: its id, the sha256 (hex) of its secret, its expiry. */
export interface IssuedToken {
  tokenId: string;
  secretHash: string;
  expiresAt: string;
}

/** A token presented by a client: its id and the sha256 of the secret it showed. */
export interface PresentedToken {
  tokenId: string;
  secretHash: string;
}

export type SessionCommand =
  | {
      type: 'StartSession';
      data: {
        sessionId: string;
        userId: string;
        tokenVersion: number;
        token: IssuedToken;
        absoluteExpiresAt: string;
        userAgent: string | null;
        ipAddress: string | null;
        deviceKey: string | null;
        now: string;
      };
    }
  /**
   * Spend the presented token and issue its successor. `successor` is the one the presented token
   * leads to (derived from it), so that a retry within `graceSeconds` (a lost answer) finds it again.
   */
  | {
      type: 'RefreshSession';
      data: {
        presented: PresentedToken;
        next: IssuedToken;
        userTokenVersion: number;
        graceSeconds: number;
        now: string;
      };
    }
  /** Logout with one of the session's tokens. */
  | { type: 'Logout'; data: { presented: PresentedToken; now: string } }
  /** The session's user (or the system) ends it. */
  | { type: 'EndSession'; data: { reason: 'ended_by_user' | 'password_changed' | 'mfa_changed'; now: string } };
