import { DomainError, assertNever } from '../shared/domain-error.js';
import { isEmailAddress, normaliseEmail } from '../identity/user-email.js';
import type { CustomerCommand, RegisterCustomer } from './customer.commands.js';
import { CustomerErrors } from './customer.errors.js';
import type { CustomerEvent } from './customer.events.js';
import type { CustomerState } from './customer.state.js';

export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return register(command, state);
    case 'EraseCustomer':
      if (state.status === 'unregistered') throw new DomainError(CustomerErrors.notFound, 'No such customer');
      if (state.status === 'erased') return []; // erasing again changes nothing
      return [
        {
          type: 'CustomerErased',
          data: { customerId: state.customerId, userId: state.userId, erasedAt: command.data.now },
        },
      ];
    case 'UploadDocument': {
      // An erased customer is gone: nothing of it may be recorded again.
      if (state.status !== 'registered') throw new DomainError(CustomerErrors.notFound, 'No such customer');
      const { now, ...document } = command.data;
      return [{ type: 'DocumentUploaded', data: { customerId: state.customerId, ...document, uploadedAt: now } }];
    }
    default:
      return assertNever(command, 'customer command');
  }
}

function register({ data }: RegisterCustomer, state: CustomerState): CustomerEvent[] {
  if (state.status !== 'unregistered')
    throw new DomainError(CustomerErrors.alreadyRegistered, `Customer ${data.customerId} is already registered`);
  const name = data.name.trim();
  const email = normaliseEmail(data.email);
  const problems: Array<Record<string, unknown>> = [];
  if (name === '') problems.push({ field: 'name', message: 'must not be blank' });
  if (!isEmailAddress(email)) problems.push({ field: 'email', message: 'must be an email address' });
  if (problems.length > 0) throw new DomainError(CustomerErrors.invalid, 'The customer is not valid', problems);
  return [
    {
      type: 'CustomerRegistered',
      data: {
        customerId: data.customerId,
        name,
        email,
        phone: optional(data.phone),
        address: optional(data.address),
        userId: data.userId ?? null,
        registeredAt: data.now,
      },
    },
  ];
}

/** Blank is the same as absent. */
const optional = (value: string | null | undefined): string | null => (value?.trim() ? value.trim() : null);
