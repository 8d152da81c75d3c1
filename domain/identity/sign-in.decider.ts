import type { Decider } from '../shared/decider.js';
import type { SignInCommand } from './sign-in.commands.js';
import { decideSignIn } from './sign-in.decide.js';
import { signInStream, type SignInEvent } from './sign-in.events.js';
import { evolveSignIn, initialSignInState, type SignInState } from './sign-in.state.js';

/** Constant-size state over a stream that grows by at most `maxFailures` events between two clears. */
export const signInDecider: Decider<SignInCommand, SignInEvent, SignInState> = {
  streamOf: signInStream,
  initialState: initialSignInState,
  evolve: evolveSignIn,
  decide: decideSignIn,
  snapshots: { every: 50, version: 1, compact: (state) => state },
};
