import { eventTypes } from '../shared/decider.js';

/**
 * A password reset, in a stream of its own (`passwordreset-<resetId>`): requested for a user (only the
 * sha256 of the mailed token's secret is kept), then completed once, or never (it expires).
 */
export interface PasswordResetRequested {
  type: 'PasswordResetRequested';
  data: { resetId: string; userId: string; secretHash: string; expiresAt: string; requestedAt: string };
}

export interface PasswordResetCompleted {
  type: 'PasswordResetCompleted';
  data: { resetId: string; userId: string; completedAt: string };
}

export type PasswordResetEvent = PasswordResetRequested | PasswordResetCompleted;

export const passwordResetEventTypes = eventTypes<PasswordResetEvent['type']>({
  PasswordResetRequested: true,
  PasswordResetCompleted: true,
});

export const passwordResetStream = (resetId: string): string => `passwordreset-${resetId}`;
