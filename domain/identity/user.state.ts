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

export type UserState = { status: 'unregistered' } | ({ status: 'registered' } & UserFacts);

export type RegisteredUser = Extract<UserState, { status: 'registered' }>;

export const initialUserState = (): UserState => ({ status: 'unregistered' });

export function evolveUser(_state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      const { registeredAt: _at, ...facts } = event.data;
      return { status: 'registered', ...facts };
    }
    default:
      return assertNever(event.type, 'user event');
  }
}
