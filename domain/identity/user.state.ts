import { assertNever } from '../shared/domain-error.js';
import type { UserEvent } from './user.events.js';

export interface RefreshTokenRecord {
  familyId: string;
  secretHash: string;
  expiresAt: string;
  spent: boolean;
}

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
  | ({ status: 'registered'; refreshTokens: Record<string, RefreshTokenRecord>; revokedFamilies: string[] } & UserFacts);

export const initialUserState = (): UserState => ({ status: 'unregistered' });

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      const { registeredAt: _at, ...facts } = event.data;
      return { status: 'registered', ...facts, refreshTokens: {}, revokedFamilies: [] };
    }
    case 'RefreshTokenIssued': {
      if (state.status === 'unregistered') return state;
      const { tokenId, familyId, secretHash, expiresAt } = event.data;
      return { ...state, refreshTokens: { ...state.refreshTokens, [tokenId]: { familyId, secretHash, expiresAt, spent: false } } };
    }
    case 'RefreshTokenSpent': {
      const token = state.status === 'registered' ? state.refreshTokens[event.data.tokenId] : undefined;
      if (state.status === 'unregistered' || !token) return state;
      return { ...state, refreshTokens: { ...state.refreshTokens, [event.data.tokenId]: { ...token, spent: true } } };
    }
    case 'RefreshTokenFamilyRevoked':
      if (state.status === 'unregistered' || state.revokedFamilies.includes(event.data.familyId)) return state;
      return { ...state, revokedFamilies: [...state.revokedFamilies, event.data.familyId] };
    default:
      return assertNever(event, 'user event');
  }
}
