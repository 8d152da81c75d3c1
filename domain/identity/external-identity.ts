import { DomainError } from '../shared/domain-error.js';
import { uniqueClaimDecider } from '../shared/unique-claim.js';
import { IdentityErrors } from './identity.errors.js';

/**
 * An identity at an OpenID provider (provider and subject) belongs to one user: it is claimed once, in
 * a stream whose id is a keyed hash of the two (the application makes it), never the subject itself.
 */
export const externalIdentityClaimDecider = uniqueClaimDecider(
  'external-identity',
  () => new DomainError(IdentityErrors.externalIdentityTaken, 'This external identity is linked to another user'),
);
