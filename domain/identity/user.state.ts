import { assertNever } from '../shared/domain-error.js';
import { ERASED } from '../shared/personal-data.js';
import type { UserEvent } from './user.events.js';

export interface UserFacts {
  userId: string;
  email: string;
  name: string;
  roles: string[];
  /** null: no password; password login and password change refuse the user. */
  passwordHash: string | null;
  customerId?: string;
}

/** An identity at an OpenID provider the user signs in with. */
export interface ExternalIdentity {
  provider: string;
  subject: string;
}

/** Multi-factor authentication (TOTP): off, enrolling (a secret waits for its first code), or on. */
export type MfaState =
  | { status: 'off' }
  | { status: 'pending'; totpSecret: string }
  | {
      status: 'on';
      totpSecret: string;
      /** sha256 of each recovery code; null once it was used. */
      recoveryCodeHashes: Array<string | null>;
    };

export type UserState =
  | { status: 'unregistered' }
  | ({
      status: 'registered';
      disabled: boolean;
      /** Moves whenever every session must end (signed out everywhere, disabled): older tokens stop working. */
      tokenVersion: number;
      /** When the password last changed (null: as registered); a reset link asked for before it is spent. */
      passwordChangedAt: string | null;
      externalIdentities: ExternalIdentity[];
      mfa: MfaState;
      /** Erased with its customer record: disabled for good, its profile gone. */
      erased?: true;
    } & UserFacts);

export type RegisteredUser = Extract<UserState, { status: 'registered' }>;

export const initialUserState = (): UserState => ({ status: 'unregistered' });

export function evolveUser(state: UserState, event: UserEvent): UserState {
  if (event.type === 'UserRegistered') {
    const { registeredAt: _at, ...facts } = event.data;
    return {
      status: 'registered',
      ...facts,
      disabled: false,
      tokenVersion: 0,
      passwordChangedAt: null,
      externalIdentities: [],
      mfa: { status: 'off' },
    };
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
    case 'UserExternalIdentityLinked': {
      const { provider, subject } = event.data;
      return { ...state, externalIdentities: [...state.externalIdentities, { provider, subject }] };
    }
    case 'UserMfaEnrolmentStarted':
      return { ...state, mfa: { status: 'pending', totpSecret: event.data.totpSecret } };
    case 'UserMfaEnabled':
      // The decider enables only a pending enrolment; a fold that keeps no secret (the access read model) has none.
      return {
        ...state,
        mfa: {
          status: 'on',
          totpSecret: state.mfa.status === 'off' ? '' : state.mfa.totpSecret,
          recoveryCodeHashes: event.data.recoveryCodeHashes,
        },
      };

    case 'UserMfaDisabled':
      return { ...state, mfa: { status: 'off' } };
    case 'UserMfaRecoveryCodeUsed': {
      if (state.mfa.status !== 'on') return state;
      const recoveryCodeHashes = state.mfa.recoveryCodeHashes.map((hash, i) => (i === event.data.index ? null : hash));
      return { ...state, mfa: { ...state.mfa, recoveryCodeHashes } };
    }
    case 'UserErased':
      return {
        ...state,
        email: ERASED,
        name: ERASED,
        passwordHash: null,
        externalIdentities: [],
        disabled: true,
        tokenVersion: state.tokenVersion + 1,
        mfa: { status: 'off' },
        erased: true,
      };
    default:
      return assertNever(event, 'user event');
  }
}

/** Whether the user signs in with this identity at this provider. */
export const hasExternalIdentity = (state: UserState, provider: string, subject: string): boolean =>
  state.status === 'registered' &&
  state.externalIdentities.some((i) => i.provider === provider && i.subject === subject);
