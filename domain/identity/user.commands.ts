import type { PasswordChangeVia } from './user.events.js';

export interface RegisterUser {
  type: 'RegisterUser';
  data: {
    userId: string;
    email: string;
    name: string;
    roles: string[];
    /** null: no password (signs in through an external identity only). */
    passwordHash: string | null;
    customerId?: string;
    now: string;
  };
}

export type UserCommand =
  | RegisterUser
  /** `via: 'reset'` (a mailed link) also signs the user out everywhere; a change ends the other sessions in the application. */
  | { type: 'ChangePassword'; data: { passwordHash: string; via: PasswordChangeVia; now: string } }
  | { type: 'DisableUser'; data: { reason: string; now: string } }
  | { type: 'EnableUser'; data: { now: string } }
  | { type: 'SignOutEverywhere'; data: { now: string } }
  | { type: 'StartMfaEnrolment'; data: { totpSecret: string; now: string } }
  /** The application checked the first code against the pending secret. */
  | { type: 'EnableMfa'; data: { recoveryCodeHashes: string[]; now: string } }
  | { type: 'DisableMfa'; data: { now: string } }
  /** Spend the recovery code with this sha256; refused when no unused code has it. */
  | { type: 'UseRecoveryCode'; data: { codeHash: string; now: string } }
  | { type: 'EraseUser'; data: { now: string } }
  | {
      type: 'LinkExternalIdentity';

      data: { provider: string; subject: string; via: 'verified_email' | 'sign_up'; now: string };
    };
