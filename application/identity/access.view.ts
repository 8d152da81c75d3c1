import type { PersonalDocFields } from '../privacy/personal-documents.js';
import type { Role } from '../ports/tokens.port.js';

/**
 * The `access` read model: what every request's access check reads (one lookup of two documents), and
 * what a user's session list shows. Built by the access projection from the user and session streams;
 * the commands that revoke wait until it has their position, so a revocation holds at once.
 */
export const ACCESS_READ_MODEL = 'access';

export const userAccessId = (userId: string): string => `user:${userId}`;
export const sessionAccessId = (sessionId: string): string => `session:${sessionId}`;

export interface UserAccessDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'user';
  userId: string;
  roles: Role[];
  customerId: string | null;
  disabled: boolean;
  tokenVersion: number;
}

export interface SessionAccessDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'session';
  sessionId: string;
  userId: string;
  active: boolean;
  tokenVersion: number;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  lastUsedAt: string;
  endedAt: string | null;
}

/** A session's device and client address are the user's personal data: sealed in the read store under its key. */
export const accessDocPersonalFields: PersonalDocFields = {
  subject: (doc) => (doc.kind === 'session' && typeof doc.userId === 'string' ? `user:${doc.userId}` : null),
  sealed: ['userAgent', 'ipAddress'],
};
