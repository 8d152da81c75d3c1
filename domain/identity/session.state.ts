import { assertNever } from '../shared/domain-error.js';
import type { IssuedToken } from './session.commands.js';
import type { SessionEndReason, SessionEvent } from './session.events.js';

/** How many spent tokens a session remembers, to tell a replayed one (reuse: the session ends) from a made-up one. */
export const REMEMBERED_SPENT_TOKENS = 16;

export type SpentToken = IssuedToken & { spentAt: string };

export type SessionState =
  | { status: 'none' }
  | {
      status: 'active';
      sessionId: string;
      userId: string;
      tokenVersion: number;
      absoluteExpiresAt: string;
      current: IssuedToken;
      /** The most recently spent last. */
      spent: SpentToken[];
    }
  | { status: 'ended'; sessionId: string; userId: string; reason: SessionEndReason };

export const initialSessionState = (): SessionState => ({ status: 'none' });

/** Constant-size state: a session refreshed ten thousand times folds as fast as a new one. */
export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted': {
      const { sessionId, userId, tokenVersion, tokenId, secretHash, expiresAt, absoluteExpiresAt } = event.data;
      return {
        status: 'active',
        sessionId,
        userId,
        tokenVersion,
        absoluteExpiresAt,
        current: { tokenId, secretHash, expiresAt },
        spent: [],
      };
    }
    case 'SessionRefreshed': {
      if (state.status !== 'active') return state;
      const { tokenId, secretHash, expiresAt, refreshedAt } = event.data;
      return {
        ...state,
        current: { tokenId, secretHash, expiresAt },
        spent: [...state.spent, { ...state.current, spentAt: refreshedAt }].slice(-REMEMBERED_SPENT_TOKENS),
      };
    }
    case 'SessionEnded':
      if (state.status === 'none') return state;
      return { status: 'ended', sessionId: state.sessionId, userId: state.userId, reason: event.data.reason };
    default:
      return assertNever(event, 'session event');
  }
}
