import { DomainError } from '../shared/domain-error.js';
import { UserErrors } from './user.errors.js';

/**
 * Email uniqueness across user streams: one tiny stream per normalised email
 * (`useremail-<email>`), claimed with expected revision `no_stream`, as SKUs are (see
 * domain/product/sku.ts). A claim whose user was never registered (a crash in between) is re-used by
 * the next registration of that email.
 */
export interface UserEmailClaimed {
  type: 'UserEmailClaimed';
  data: { email: string; userId: string };
}

export type UserEmailState = { claimedBy: string | null };

export const initialUserEmailState = (): UserEmailState => ({ claimedBy: null });

export const evolveUserEmail = (_state: UserEmailState, event: UserEmailClaimed): UserEmailState => ({ claimedBy: event.data.userId });

export function decideUserEmailClaim(command: { email: string; userId: string }, state: UserEmailState): UserEmailClaimed[] {
  if (state.claimedBy === command.userId) return [];
  if (state.claimedBy !== null) throw new DomainError(UserErrors.emailTaken, 'This email is already registered', [{ field: 'email', message: 'already registered' }]);
  return [{ type: 'UserEmailClaimed', data: { email: normaliseEmail(command.email), userId: command.userId } }];
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A plausible address (the HTTP schema checks the full format): one `@`, no blanks, at most 254 characters. */
export const isEmailAddress = (email: string): boolean => email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email);

export const userEmailStream = (email: string): string => `useremail-${encodeURIComponent(normaliseEmail(email))}`;
