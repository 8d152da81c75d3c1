import { equalInConstantTime } from '../shared/constant-time.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { IdentityErrors } from './identity.errors.js';
import type { IssuedToken, PresentedToken, SessionCommand } from './session.commands.js';
import type { SessionEvent } from './session.events.js';
import type { SessionState } from './session.state.js';

export type RefreshRefusal = 'unknown' | 'expired' | 'ended' | 'signed_out';

/** A refresh token that authenticates nobody: one answer to the client, the reason for the log. */
export class InvalidRefreshTokenError extends DomainError {
  constructor(readonly reason: RefreshRefusal) {
    super(IdentityErrors.invalidRefreshToken, 'The refresh token is not valid; sign in again');
    this.name = 'InvalidRefreshTokenError';
  }
}

type Active = Extract<SessionState, { status: 'active' }>;
type Cmd<T extends SessionCommand['type']> = Extract<SessionCommand, { type: T }>['data'];

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession': {
      if (state.status !== 'none')
        throw new DomainError(IdentityErrors.sessionAlreadyStarted, `Session ${command.data.sessionId} exists already`);
      const { token, now, ...facts } = command.data;
      return [{ type: 'SessionStarted', data: { ...facts, ...token, startedAt: now } }];
    }
    case 'RefreshSession':
      return refresh(command.data, state);
    case 'Logout': {
      if (state.status === 'ended') return []; // logging out twice changes nothing
      const session = requireActive(state);
      if (
        !matches(session.current, command.data.presented) &&
        !session.spent.some((t) => matches(t, command.data.presented))
      ) {
        throw new InvalidRefreshTokenError('unknown');
      }
      return [ended(session, 'logout', command.data.now)];
    }
    case 'EndSession':
      if (state.status === 'ended') return [];
      return [ended(requireActive(state), command.data.reason, command.data.now)];
    default:
      return assertNever(command, 'session command');
  }
}

/**
 * Single use: the current token is spent and its successor issued. The token spent last, presented
 * again within the grace period, is a retry of a refresh whose answer was lost: nothing is decided and
 * the caller answers the same successor again (RFC 9700 4.14.2). A spent token presented after that
 * means it leaked: the session ends, so the successor stops working too; the caller appends that and
 * still refuses the request.
 */
function refresh(data: Cmd<'RefreshSession'>, state: SessionState): SessionEvent[] {
  if (state.status === 'ended') throw new InvalidRefreshTokenError('ended');
  const session = requireActive(state);
  if (session.tokenVersion !== data.userTokenVersion) throw new InvalidRefreshTokenError('signed_out');
  const now = Date.parse(data.now);
  const last = session.spent.at(-1);
  if (
    last &&
    matches(last, data.presented) &&
    session.current.tokenId === data.next.tokenId &&
    now - Date.parse(last.spentAt) <= data.graceSeconds * 1000
  )
    return [];
  if (session.spent.some((t) => matches(t, data.presented))) return [ended(session, 'reuse_detected', data.now)];
  if (!matches(session.current, data.presented)) throw new InvalidRefreshTokenError('unknown');
  if (Date.parse(session.current.expiresAt) <= now || Date.parse(session.absoluteExpiresAt) <= now)
    throw new InvalidRefreshTokenError('expired');
  const { sessionId, userId } = session;
  const next: IssuedToken = {
    ...data.next,
    expiresAt: data.next.expiresAt < session.absoluteExpiresAt ? data.next.expiresAt : session.absoluteExpiresAt,
  };
  return [
    {
      type: 'SessionRefreshed',
      data: { sessionId, userId, spentTokenId: session.current.tokenId, ...next, refreshedAt: data.now },
    },
  ];
}

function requireActive(state: SessionState): Active {
  if (state.status !== 'active') throw new InvalidRefreshTokenError('unknown');
  return state;
}

const ended = (
  session: Active,
  reason: Extract<SessionEvent, { type: 'SessionEnded' }>['data']['reason'],
  now: string,
): SessionEvent => ({
  type: 'SessionEnded',
  data: { sessionId: session.sessionId, userId: session.userId, reason, endedAt: now },
});

/** Same id, and the same secret hash compared in time independent of where they differ. */
function matches(token: IssuedToken, presented: PresentedToken): boolean {
  return token.tokenId === presented.tokenId && equalInConstantTime(token.secretHash, presented.secretHash);
}
