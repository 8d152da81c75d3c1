import type { Decider } from '../shared/decider.js';
import type { UserCommand } from './user.commands.js';
import { decideUser } from './user.decide.js';
import { userStream, type UserEvent } from './user.events.js';
import { evolveUser, initialUserState, type UserState } from './user.state.js';

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  streamOf: userStream,
  initialState: initialUserState,
  evolve: evolveUser,
  decide: decideUser,
};
