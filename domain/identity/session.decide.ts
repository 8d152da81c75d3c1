import { DomainError, assertNever } from '../shared/domain-error.js';
import { IdentityErrors } from './identity.errors.js';
import type { IssuedToken, PresentedToken, SessionCommand } from './session.commands.js';
import type { SessionEvent } from './session.events.js';
import type { SessionState } from './session.state.js';

export type RefreshRefusal = 'unknown' | 'expired' | 'ended';

/** A refresh token that authenticates nobody: one answer to the client, the reason for the log. */
export class InvalidRefreshTokenError extends DomainError {
  constructor(readonly reason: RefreshRefusal) {
    super(IdentityErrors.invalidRefreshToken, 'The refresh token is not valid; sign in again');
    this.name = 'InvalidRefreshTokenError';
  }
}

type Active = Extract<SessionState, { status: 'active' }>;

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession': {
      if (state.status !== 'none')
        throw new DomainError(IdentityErrors.sessionAlreadyStarted, `Session ${command.data.sessionId} exists already`);
      const { sessionId, userId, token, now } = command.data;
      return [{ type: 'SessionStarted', data: { sessionId, userId, ...token, startedAt: now } }];
    }
    case 'RefreshSession':
      return refresh(command.data, state);
    case 'EndSession': {
      if (state.status === 'ended') return []; // logging out twice changes nothing
      const session = requireActive(state);
      if (
        !matches(session.current, command.data.presented) &&
        !session.spent.some((t) => matches(t, command.data.presented))
      )
        throw new InvalidRefreshTokenError('unknown');
      return [ended(session, 'logout', command.data.now)];
    }
    default:
      return assertNever(command, 'session command');
  }
}

/**
 * Single use: the current token is spent and its successor issued. Presenting a token that was spent
 * already means it leaked (or a client raced itself): the session ends, so the successor stops
 * working too; the caller appends that and still refuses the request.
 */
function refresh(
  data: { presented: PresentedToken; next: IssuedToken; now: string },
  state: SessionState,
): SessionEvent[] {
  if (state.status === 'ended') throw new InvalidRefreshTokenError('ended');
  const session = requireActive(state);
  if (session.spent.some((t) => matches(t, data.presented))) return [ended(session, 'reuse_detected', data.now)];
  if (!matches(session.current, data.presented)) throw new InvalidRefreshTokenError('unknown');
  if (Date.parse(session.current.expiresAt) <= Date.parse(data.now)) throw new InvalidRefreshTokenError('expired');
  const { sessionId, userId } = session;
  return [
    {
      type: 'SessionRefreshed',
      data: { sessionId, userId, spentTokenId: session.current.tokenId, ...data.next, refreshedAt: data.now },
    },
  ];
}

function requireActive(state: SessionState): Active {
  if (state.status !== 'active') throw new InvalidRefreshTokenError('unknown');
  return state;
}

const ended = (session: Active, reason: 'logout' | 'reuse_detected', now: string): SessionEvent => ({
  type: 'SessionEnded',
  data: { sessionId: session.sessionId, userId: session.userId, reason, endedAt: now },
});

/** Same id, and the same secret hash compared in time independent of where they differ. */
function matches(token: IssuedToken, presented: PresentedToken): boolean {
  if (token.tokenId !== presented.tokenId || token.secretHash.length !== presented.secretHash.length) return false;
  let diff = 0;
  for (let i = 0; i < token.secretHash.length; i++)
    diff |= token.secretHash.charCodeAt(i) ^ presented.secretHash.charCodeAt(i);
  return diff === 0;
}
