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

export type UserEvent = UserRegistered;

export const userEventTypes = eventTypes<UserEvent['type']>({ UserRegistered: true });

export const userStream = (userId: string): string => `user-${userId}`;
