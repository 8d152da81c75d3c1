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
  | { type: 'StartSession'; data: { sessionId: string; userId: string; token: IssuedToken; now: string } }
  /** Spend the presented token and issue its successor. */
  | { type: 'RefreshSession'; data: { presented: PresentedToken; next: IssuedToken; now: string } }
  /** Logout with the session's token. */
  | { type: 'EndSession'; data: { presented: PresentedToken; now: string } };
