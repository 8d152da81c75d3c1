import { eventTypes } from '../shared/decider.js';

/**
 * Failed sign-ins for one email address, in a stream of its own (`signin-<key>`, the key a keyed hash
 * of the address, as its claim's): known or not, an address is counted the same way, so a lockout
 * tells nobody whether an account exists. The client address is kept for the auditor.
 */
export interface SignInFailed {
  type: 'SignInFailed';
  data: {
    /** The account the email belongs to, when there is one. */
    userId: string | null;
    ipAddress: string | null;
    /** Consecutive failures, this one included. */
    failures: number;
    failedAt: string;
  };
}

export interface SignInLockedOut {
  type: 'SignInLockedOut';
  data: {
    userId: string | null;
    ipAddress: string | null;
    failures: number;
    /** Null: locked until an admin unlocks it or its password is reset (the NIST 800-63B ceiling). */
    lockedUntil: string | null;
    lockedAt: string;
  };
}

export type SignInClearReason = 'signed_in' | 'unlocked' | 'password_reset';

export interface SignInFailuresCleared {
  type: 'SignInFailuresCleared';
  data: { userId: string | null; reason: SignInClearReason; clearedAt: string };
}

export type SignInEvent = SignInFailed | SignInLockedOut | SignInFailuresCleared;

export const signInEventTypes = eventTypes<SignInEvent['type']>({
  SignInFailed: true,
  SignInLockedOut: true,
  SignInFailuresCleared: true,
});

export const signInStream = (emailKey: string): string => `signin-${emailKey}`;
