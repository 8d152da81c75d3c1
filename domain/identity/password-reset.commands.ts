export type PasswordResetCommand =
  | {
      type: 'RequestPasswordReset';
      data: { resetId: string; userId: string; secretHash: string; expiresAt: string; now: string };
    }
  /** `passwordChangedAt`: the user's last password change; a reset requested before it is spent. */
  | { type: 'CompletePasswordReset'; data: { secretHash: string; passwordChangedAt: string | null; now: string } };
