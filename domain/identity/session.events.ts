import { eventTypes } from '../shared/decider.js';

/**
 * A session is one sign-in and its family of refresh tokens, in a stream of its own
 * (`session-<sessionId>`): signing in starts one, each refresh spends the current token and issues
 * its successor, logout, its user ending it, or a replayed token ends it. The user's stream never
 * hears of it. Only the sha256 of each token's secret is kept, never the secret.
 */
export interface SessionStarted {
  type: 'SessionStarted';
  data: {
    sessionId: string;
    userId: string;
    /** The user's token version at sign-in: signing out everywhere moves it, and the session is over. */
    tokenVersion: number;
    tokenId: string;
    secretHash: string;
    /** When the current token stops working unless refreshed (the idle lifetime). */
    expiresAt: string;
    /** When the session ends whatever is refreshed (the absolute lifetime). */
    absoluteExpiresAt: string;
    userAgent: string | null;
    ipAddress: string | null;
    /**
     * The device as a keyed hash (the blind index of the user and its user agent; null on sessions
     * recorded before version 3): who was told of a sign-in from a new device decides from these, in
     * the log's order, never from a read model.
     */
    deviceKey: string | null;
    startedAt: string;
  };
}

export interface SessionRefreshed {
  type: 'SessionRefreshed';
  data: {
    sessionId: string;
    userId: string;
    spentTokenId: string;
    tokenId: string;
    secretHash: string;
    expiresAt: string;
    refreshedAt: string;
  };
}

export type SessionEndReason = 'logout' | 'reuse_detected' | 'ended_by_user' | 'password_changed' | 'mfa_changed';

export interface SessionEnded {
  type: 'SessionEnded';
  data: { sessionId: string; userId: string; reason: SessionEndReason; endedAt: string };
}

export type SessionEvent = SessionStarted | SessionRefreshed | SessionEnded;

export const sessionEventTypes = eventTypes<SessionEvent['type']>({
  SessionStarted: true,
  SessionRefreshed: true,
  SessionEnded: true,
});

export const sessionStream = (sessionId: string): string => `session-${sessionId}`;
