import { equalInConstantTime } from '../shared/constant-time.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { IdentityErrors } from './identity.errors.js';
import { isEmailAddress, normaliseEmail } from './user-email.js';
import type { RegisterUser, UserCommand } from './user.commands.js';
import type { UserEvent } from './user.events.js';
import { hasExternalIdentity, type UserState } from './user.state.js';

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  if (command.type === 'RegisterUser') return register(command, state);
  if (state.status === 'unregistered') throw new DomainError(IdentityErrors.notFound, 'No such user');
  const { userId } = state;
  if (command.type === 'EraseUser')
    return state.erased ? [] : [{ type: 'UserErased', data: { userId, erasedAt: command.data.now } }];
  if (state.erased) throw new DomainError(IdentityErrors.notFound, 'No such user');
  switch (command.type) {
    case 'ChangePassword': {
      const { passwordHash, via, now } = command.data;
      const changed: UserEvent = { type: 'UserPasswordChanged', data: { userId, passwordHash, via, changedAt: now } };
      // Whoever held a session may be who made the reset necessary: a reset ends them all.
      return via === 'reset'
        ? [changed, { type: 'UserSignedOutEverywhere', data: { userId, signedOutAt: now } }]
        : [changed];
    }

    case 'DisableUser': {
      if (state.disabled) return [];
      const reason = command.data.reason.trim();
      if (reason === '')
        throw new DomainError(IdentityErrors.invalid, 'Say why the user is disabled', [
          { field: 'reason', message: 'must not be blank' },
        ]);
      return [{ type: 'UserDisabled', data: { userId, reason, disabledAt: command.data.now } }];
    }
    case 'EnableUser':
      return state.disabled ? [{ type: 'UserEnabled', data: { userId, enabledAt: command.data.now } }] : [];
    case 'SignOutEverywhere':
      return [{ type: 'UserSignedOutEverywhere', data: { userId, signedOutAt: command.data.now } }];
    case 'StartMfaEnrolment':
      if (state.mfa.status === 'on')
        throw new DomainError(IdentityErrors.mfaAlreadyEnabled, 'Multi-factor authentication is on: turn it off first');
      return [
        {
          type: 'UserMfaEnrolmentStarted',
          data: { userId, totpSecret: command.data.totpSecret, startedAt: command.data.now },
        },
      ];
    case 'EnableMfa': {
      if (state.mfa.status === 'on')
        throw new DomainError(IdentityErrors.mfaAlreadyEnabled, 'Multi-factor authentication is on already');
      if (state.mfa.status !== 'pending')
        throw new DomainError(
          IdentityErrors.mfaEnrolmentNotStarted,
          'Start an enrolment first (POST /v1/auth/mfa/totp)',
        );
      const { recoveryCodeHashes, now } = command.data;
      if (recoveryCodeHashes.length === 0 || new Set(recoveryCodeHashes).size !== recoveryCodeHashes.length)
        throw new DomainError(IdentityErrors.invalid, 'Recovery codes must be distinct and at least one');
      return [{ type: 'UserMfaEnabled', data: { userId, recoveryCodeHashes, enabledAt: now } }];
    }
    case 'DisableMfa':
      if (state.mfa.status !== 'on')
        throw new DomainError(IdentityErrors.mfaNotEnabled, 'Multi-factor authentication is not on');
      return [{ type: 'UserMfaDisabled', data: { userId, disabledAt: command.data.now } }];
    case 'UseRecoveryCode': {
      if (state.mfa.status !== 'on')
        throw new DomainError(IdentityErrors.mfaNotEnabled, 'Multi-factor authentication is not on');
      const { codeHash, now } = command.data;
      // Every stored hash is compared (constant time each), so timing does not tell which one matched.
      let index = -1;
      state.mfa.recoveryCodeHashes.forEach((hash, i) => {
        if (hash !== null && equalInConstantTime(hash, codeHash)) index = i;
      });
      if (index < 0)
        throw new DomainError(IdentityErrors.mfaCodeInvalid, 'The recovery code is not correct or was used');
      return [{ type: 'UserMfaRecoveryCodeUsed', data: { userId, index, usedAt: now } }];
    }
    case 'LinkExternalIdentity': {
      const { provider, subject, via, now } = command.data;
      if (provider === '' || subject === '')
        throw new DomainError(IdentityErrors.invalid, 'An external identity names its provider and subject');
      // Linking what is linked already changes nothing (a retried sign-in).
      if (hasExternalIdentity(state, provider, subject)) return [];
      return [{ type: 'UserExternalIdentityLinked', data: { userId, provider, subject, via, linkedAt: now } }];
    }
    default:
      return assertNever(command, 'user command');
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
