import { eventTypes } from '../shared/decider.js';

/**
 * What changes a user: profile, roles, password (and, with later issues, MFA and lockout). Sign-ins
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
    /** argon2id PHC string; never leaves the write side. */
    passwordHash: string;
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

export type UserEvent = UserRegistered | UserPasswordChanged | UserDisabled | UserEnabled | UserSignedOutEverywhere;

export const userEventTypes = eventTypes<UserEvent['type']>({
  UserRegistered: true,
  UserPasswordChanged: true,
  UserDisabled: true,
  UserEnabled: true,
  UserSignedOutEverywhere: true,
});

export const userStream = (userId: string): string => `user-${userId}`;
