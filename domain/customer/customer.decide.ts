import { DomainError, assertNever } from '../shared/domain-error.js';
import { isEmailAddress, normaliseEmail } from '../identity/user-email.js';
import type { CustomerCommand, RegisterCustomer, UpdateCustomer } from './customer.commands.js';
import { CustomerErrors } from './customer.errors.js';
import type { CustomerEvent } from './customer.events.js';
import type { CustomerState } from './customer.state.js';

export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return register(command, state);
    case 'UpdateCustomer':
      return update(command, state);
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

/** The languages a customer may choose for its mail. */
export const CUSTOMER_LANGUAGES: readonly string[] = ['en', 'de'];

function update({ data }: UpdateCustomer, state: CustomerState): CustomerEvent[] {
  if (state.status !== 'registered') throw new DomainError(CustomerErrors.notFound, 'No such customer');
  const problems: Array<Record<string, unknown>> = [];
  const name = data.name?.trim();
  if (name === '') problems.push({ field: 'name', message: 'must not be blank' });
  const language = data.preferences?.language;
  if (language !== undefined && !CUSTOMER_LANGUAGES.includes(language))
    problems.push({ field: 'preferences.language', message: `must be one of ${CUSTOMER_LANGUAGES.join(', ')}` });
  if (problems.length > 0) throw new DomainError(CustomerErrors.invalid, 'The change is not valid', problems);
  const changes: Omit<Extract<CustomerEvent, { type: 'CustomerUpdated' }>['data'], 'customerId' | 'updatedAt'> = {};
  if (name !== undefined && name !== state.name) changes.name = name;
  if (data.phone !== undefined && optional(data.phone) !== state.phone) changes.phone = optional(data.phone);
  if (data.address !== undefined && optional(data.address) !== state.address) changes.address = optional(data.address);
  if (data.preferences) {
    const preferences = { ...state.preferences, ...data.preferences };
    if (preferences.reminders !== state.preferences.reminders || preferences.language !== state.preferences.language)
      changes.preferences = preferences;
  }
  if (Object.keys(changes).length === 0) return []; // nothing changes
  return [{ type: 'CustomerUpdated', data: { customerId: state.customerId, ...changes, updatedAt: data.now } }];
}

/** Blank is the same as absent. */
const optional = (value: string | null | undefined): string | null => (value?.trim() ? value.trim() : null);
