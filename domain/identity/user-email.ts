import { DomainError } from '../shared/domain-error.js';
import { uniqueClaimDecider } from '../shared/unique-claim.js';
import { IdentityErrors } from './identity.errors.js';

/**
 * A user's email is unique among users: it is claimed once, in a stream whose id is a keyed hash of the
 * normalised address (the application makes it), never the address itself.
 */
export const userEmailClaimDecider = uniqueClaimDecider(
  'user-email',
  () =>
    new DomainError(IdentityErrors.emailTaken, 'This email is already registered', [
      { field: 'email', message: 'already registered' },
    ]),
);

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A plausible address (the HTTP schema checks the full format): one `@`, no blanks, at most 254 characters. */
export const isEmailAddress = (email: string): boolean => email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email);
