import { DomainError } from '../shared/domain-error.js';
import type { Decider } from '../shared/decider.js';
import { uniqueClaimDecider } from '../shared/unique-claim.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import type { CustomerCommand } from './customer.commands.js';
import { decideCustomer } from './customer.decide.js';
import { customerStream, type CustomerEvent } from './customer.events.js';
import { evolveCustomer, initialCustomerState, type CustomerState } from './customer.state.js';

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  streamOf: customerStream,
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: decideCustomer,
};

/** A customer's email is unique among customer records (the claim's key is a keyed hash of it). */
export const customerEmailClaimDecider = uniqueClaimDecider(
  'customer-email',
  () =>
    new DomainError(IdentityErrors.emailTaken, 'This email is already registered', [
      { field: 'email', message: 'already registered' },
    ]),
);
