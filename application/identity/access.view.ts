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
export const apiKeyAccessId = (apiKeyId: string): string => `apikey:${apiKeyId}`;

export interface UserAccessDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'user';
  userId: string;
  roles: Role[];
  customerId: string | null;
  disabled: boolean;
  tokenVersion: number;
  /** Whether the user has MFA on (MFA_REQUIRED_ROLES asks for it); missing in documents older than MFA: off. */
  mfaEnabled?: boolean;
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

/** An API key: what a call with it is checked against, and what the admins' key list shows. */
export interface ApiKeyAccessDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'apikey';
  apiKeyId: string;
  name: string;
  roles: Role[];
  /** sha256 (hex) of the key's secret part. */
  secretHash: string;
  createdAt: string;
  expiresAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
}

/** When an API key was last used, kept apart from the projection's documents (a rebuild keeps it). */
export const API_KEY_USE_COLLECTION = 'sys_api_key_use';
export interface ApiKeyUseDoc {
  _id: string;
  [key: string]: unknown;
  lastUsedAt: string;
}
/** A session's device and client address are the user's personal data: sealed in the read store under its key. */
export const accessDocPersonalFields: PersonalDocFields = {
  subject: (doc) => (doc.kind === 'session' && typeof doc.userId === 'string' ? `user:${doc.userId}` : null),
  sealed: ['userAgent', 'ipAddress'],
};
