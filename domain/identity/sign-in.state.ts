import { assertNever } from '../shared/domain-error.js';
import type { SignInEvent } from './sign-in.events.js';

export interface SignInState {
  failures: number;
  /** Until when sign-ins are refused; `'unlock'` for as long as nobody unlocks. */
  lockedUntil: string | 'unlock' | null;
}

export const initialSignInState = (): SignInState => ({ failures: 0, lockedUntil: null });

export function evolveSignIn(state: SignInState, event: SignInEvent): SignInState {
  switch (event.type) {
    case 'SignInFailed':
      return { ...state, failures: event.data.failures };
    case 'SignInLockedOut':
      return { ...state, lockedUntil: event.data.lockedUntil ?? 'unlock' };
    case 'SignInFailuresCleared':
      return initialSignInState();
    default:
      return assertNever(event, 'sign-in event');
  }
}

/** Whether sign-ins are refused at `now`: null when not, else until when (null: until unlocked). */
export function lockOf(state: SignInState, now: string): { until: string | null } | null {
  if (state.lockedUntil === 'unlock') return { until: null };
  if (state.lockedUntil !== null && Date.parse(state.lockedUntil) > Date.parse(now))
    return { until: state.lockedUntil };
  return null;
}
