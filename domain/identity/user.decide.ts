import { DomainError, assertNever } from '../shared/domain-error.js';
import { IdentityErrors } from './identity.errors.js';
import { isEmailAddress, normaliseEmail } from './user-email.js';
import type { RegisterUser, UserCommand } from './user.commands.js';
import type { UserEvent } from './user.events.js';
import type { UserState } from './user.state.js';

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return register(command, state);
    default:
      return assertNever(command.type, 'user command');
  }
}

function register({ data }: RegisterUser, state: UserState): UserEvent[] {
  if (state.status !== 'unregistered')
    throw new DomainError(IdentityErrors.alreadyRegistered, `User ${data.userId} is already registered`);
  const email = normaliseEmail(data.email);
  const name = data.name.trim();
  const problems: Array<Record<string, unknown>> = [];
  if (!isEmailAddress(email)) problems.push({ field: 'email', message: 'must be an email address' });
  if (name === '') problems.push({ field: 'name', message: 'must not be blank' });
  if (data.roles.length === 0) problems.push({ field: 'roles', message: 'must name at least one role' });
  if (new Set(data.roles).size !== data.roles.length)
    problems.push({ field: 'roles', message: 'must not repeat a role' });
  if (data.roles.includes('customer') !== (data.customerId !== undefined)) {
    problems.push({
      field: 'customerId',
      message: 'a user has a customer record exactly when it has the customer role',
    });
  }
  if (problems.length > 0) throw new DomainError(IdentityErrors.invalid, 'The user is not valid', problems);
  const { now, customerId, ...facts } = data;
  return [
    {
      type: 'UserRegistered',
      data: { ...facts, email, name, ...(customerId === undefined ? {} : { customerId }), registeredAt: now },
    },
  ];
}
