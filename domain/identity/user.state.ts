import { assertNever } from '../shared/domain-error.js';
import type { UserEvent } from './user.events.js';

export interface UserFacts {
  userId: string;
  email: string;
  name: string;
  roles: string[];
  passwordHash: string;
  customerId?: string;
}

export type UserState =
  | { status: 'unregistered' }
  | ({
      status: 'registered';
      disabled: boolean;
      /** Moves whenever every session must end (signed out everywhere, disabled): older tokens stop working. */
      tokenVersion: number;
      /** When the password last changed (null: as registered); a reset link asked for before it is spent. */
      passwordChangedAt: string | null;
    } & UserFacts);

export type RegisteredUser = Extract<UserState, { status: 'registered' }>;

export const initialUserState = (): UserState => ({ status: 'unregistered' });

export function evolveUser(state: UserState, event: UserEvent): UserState {
  if (event.type === 'UserRegistered') {
    const { registeredAt: _at, ...facts } = event.data;
    return { status: 'registered', ...facts, disabled: false, tokenVersion: 0, passwordChangedAt: null };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'UserPasswordChanged':
      return { ...state, passwordHash: event.data.passwordHash, passwordChangedAt: event.data.changedAt };

    case 'UserDisabled':
      return { ...state, disabled: true, tokenVersion: state.tokenVersion + 1 };
    case 'UserEnabled':
      return { ...state, disabled: false };
    case 'UserSignedOutEverywhere':
      return { ...state, tokenVersion: state.tokenVersion + 1 };
    default:
      return assertNever(event, 'user event');
  }
}
