import type { SignInClearReason } from './sign-in.events.js';

/** When failed sign-ins lock an email, and for how long (OWASP Authentication Cheat Sheet, NIST 800-63B 5.2.2). */
export interface LockoutPolicy {
  /** Consecutive failures before the first lockout. */
  threshold: number;
  /** The first lockout; each further failure doubles it. */
  lockSeconds: number;
  /** The longest a lockout grows to. */
  maxLockSeconds: number;
  /** Consecutive failures after which only an admin or a password reset unlocks (at most 100). */
  maxFailures: number;
}

export type SignInCommand =
  | {
      type: 'RecordSignInFailure';
      data: { userId: string | null; ipAddress: string | null; policy: LockoutPolicy; now: string };
    }
  | { type: 'ClearSignInFailures'; data: { userId: string | null; reason: SignInClearReason; now: string } };
