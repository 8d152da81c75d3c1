import { eventTypes } from '../shared/decider.js';

/**
 * What changes a user: profile, roles, password, the external identities it signs in with (and, with
 * later issues, MFA and lockout). Sign-ins
 * and refreshes live in session streams (session.events.ts), so this stream does not grow with them.
 */
export interface UserRegistered {
  type: 'UserRegistered';
  data: {
    userId: string;
    /** Normalised: trimmed, lower-case. */
    email: string;
    name: string;
    roles: string[];
    /**
     * argon2id PHC string; never leaves the write side. null: the user has no password and signs in
     * through an external identity only (password login refuses it).
     */
    passwordHash: string | null;
    /** Set for users with the customer role: the customer record they are. */
    customerId?: string;
    registeredAt: string;
  };
}

/** How a password was changed: by the user giving the current one, or through a mailed reset link. */
export type PasswordChangeVia = 'change' | 'reset';

/** A new password (its hash); the user's other sessions end with it (see the application's change-password). */
export interface UserPasswordChanged {
  type: 'UserPasswordChanged';
  data: { userId: string; passwordHash: string; via: PasswordChangeVia; changedAt: string };
}

/** An admin disabled the account: it cannot sign in, and every session and access token stops working. */
export interface UserDisabled {
  type: 'UserDisabled';
  data: { userId: string; reason: string; disabledAt: string };
}

export interface UserEnabled {
  type: 'UserEnabled';
  data: { userId: string; enabledAt: string };
}

/** Every session of the user ends, and every access token issued before stops working. */
export interface UserSignedOutEverywhere {
  type: 'UserSignedOutEverywhere';
  data: { userId: string; signedOutAt: string };
}

/**
 * An identity at an OpenID provider (its `sub` there) is this user's from now on: signing in with it
 * signs in as this user. `via` says why it was linked: the provider vouched for the user's email
 * (`verified_email`), or the user was created at its first sign-in with it (`sign_up`).
 */
export interface UserExternalIdentityLinked {
  type: 'UserExternalIdentityLinked';
  data: { userId: string; provider: string; subject: string; via: 'verified_email' | 'sign_up'; linkedAt: string };
}

/**
 * TOTP enrolment began: a new shared secret (base32) waits for a first code from the user's
 * authenticator app. A pending enrolment is replaced by a new one. The secret is encrypted at rest
 * under the user's data key like personal data (identity.personal-data.ts), so it is erased with the
 * user, and the audit routes redact it.
 */
export interface UserMfaEnrolmentStarted {
  type: 'UserMfaEnrolmentStarted';
  data: { userId: string; totpSecret: string; startedAt: string };
}

/** The user confirmed a code: MFA is on, with recovery codes (their sha256, each usable once). */
export interface UserMfaEnabled {
  type: 'UserMfaEnabled';
  data: { userId: string; recoveryCodeHashes: string[]; enabledAt: string };
}

export interface UserMfaDisabled {
  type: 'UserMfaDisabled';
  data: { userId: string; disabledAt: string };
}

/** A recovery code (by its place in the list) was spent in place of a one-time code. */
export interface UserMfaRecoveryCodeUsed {
  type: 'UserMfaRecoveryCodeUsed';
  data: { userId: string; index: number; usedAt: string };
}

/** The user was erased with its customer record (its data key destroyed): it can never sign in again. */
export interface UserErased {
  type: 'UserErased';
  data: { userId: string; erasedAt: string };
}

export type UserEvent =
  | UserRegistered
  | UserErased
  | UserPasswordChanged
  | UserDisabled
  | UserEnabled
  | UserSignedOutEverywhere
  | UserExternalIdentityLinked
  | UserMfaEnrolmentStarted
  | UserMfaEnabled
  | UserMfaDisabled
  | UserMfaRecoveryCodeUsed;

export const userEventTypes = eventTypes<UserEvent['type']>({
  UserRegistered: true,
  UserPasswordChanged: true,
  UserDisabled: true,
  UserEnabled: true,
  UserSignedOutEverywhere: true,
  UserExternalIdentityLinked: true,
  UserMfaEnrolmentStarted: true,
  UserMfaEnabled: true,
  UserMfaDisabled: true,
  UserMfaRecoveryCodeUsed: true,
  UserErased: true,
});

export const userStream = (userId: string): string => `user-${userId}`;
