import type { Decider } from '../shared/decider.js';
import type { SessionCommand } from './session.commands.js';
import { decideSession } from './session.decide.js';
import { sessionStream, type SessionEvent } from './session.events.js';
import { evolveSession, initialSessionState, type SessionState } from './session.state.js';

/** A session refreshed for months grows its own stream only; a snapshot every 50 events keeps a refresh cheap. */
export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  streamOf: sessionStream,
  initialState: initialSessionState,
  evolve: evolveSession,
  decide: decideSession,
  snapshots: { every: 50, version: 1, compact: (state) => state },
};
