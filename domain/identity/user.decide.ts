import { DomainError, assertNever } from '../shared/domain-error.js';
import { isEmailAddress, normaliseEmail } from './user-email.js';
import type { IssueRefreshToken, RegisterUser, RevokeRefreshTokenFamily, RotateRefreshToken, UserCommand } from './user.commands.js';
import { UserErrors } from './user.errors.js';
import type { UserEvent } from './user.events.js';
import type { RefreshTokenRecord, UserState } from './user.state.js';

type Registered = Extract<UserState, { status: 'registered' }>;

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return register(command, state);
    case 'IssueRefreshToken':
      return issue(command, state);
    case 'RotateRefreshToken':
      return rotate(command, state);
    case 'RevokeRefreshTokenFamily':
      return revoke(command, state);
    default:
      return assertNever(command, 'user command');
  }
}

function register({ data }: RegisterUser, state: UserState): UserEvent[] {
  if (state.status !== 'unregistered') throw new DomainError(UserErrors.alreadyRegistered, `User ${data.userId} is already registered`);
  const email = normaliseEmail(data.email);
  const name = data.name.trim();
  const problems: Array<Record<string, unknown>> = [];
  if (!isEmailAddress(email)) problems.push({ field: 'email', message: 'must be an email address' });
  if (name === '') problems.push({ field: 'name', message: 'must not be blank' });
  if (data.roles.length === 0) problems.push({ field: 'roles', message: 'must name at least one role' });
  if (new Set(data.roles).size !== data.roles.length) problems.push({ field: 'roles', message: 'must not repeat a role' });
  if (data.roles.includes('customer') !== (data.customerId !== undefined)) {
    problems.push({ field: 'customerId', message: 'a user has a customer record exactly when it has the customer role' });
  }
  if (problems.length > 0) throw new DomainError(UserErrors.invalid, 'The user is not valid', problems);
  const { now, customerId, ...facts } = data;
  return [{ type: 'UserRegistered', data: { ...facts, email, name, ...(customerId === undefined ? {} : { customerId }), registeredAt: now } }];
}

function issue({ data }: IssueRefreshToken, state: UserState): UserEvent[] {
  const user = requireRegistered(state);
  if (user.revokedFamilies.includes(data.familyId)) throw refreshError(UserErrors.refreshTokenRevoked, 'This token family is revoked');
  const { now, ...token } = data;
  return [{ type: 'RefreshTokenIssued', data: { userId: user.userId, ...token, issuedAt: now } }];
}

/**
 * Single use: the presented token is spent and its successor joins the same family. Presenting a token
 * that was already spent means it leaked (or a client raced itself): the whole family is revoked, so
 * the successor stops working too. The caller appends that revocation and still refuses the request.
 */
function rotate({ data }: RotateRefreshToken, state: UserState): UserEvent[] {
  const { user, token } = presented(state, data.tokenId, data.secretHash);
  if (user.revokedFamilies.includes(token.familyId)) throw refreshError(UserErrors.refreshTokenRevoked, 'The refresh token was revoked');
  if (token.spent) {
    return [{ type: 'RefreshTokenFamilyRevoked', data: { userId: user.userId, familyId: token.familyId, reason: 'reuse_detected', revokedAt: data.now } }];
  }
  if (Date.parse(token.expiresAt) <= Date.parse(data.now)) throw refreshError(UserErrors.refreshTokenExpired, 'The refresh token has expired');
  return [
    { type: 'RefreshTokenSpent', data: { userId: user.userId, tokenId: data.tokenId, replacedBy: data.next.tokenId, spentAt: data.now } },
    { type: 'RefreshTokenIssued', data: { userId: user.userId, ...data.next, familyId: token.familyId, issuedAt: data.now } },
  ];
}

/** Log out: revoking a revoked family again changes nothing. */
function revoke({ data }: RevokeRefreshTokenFamily, state: UserState): UserEvent[] {
  const { user, token } = presented(state, data.tokenId, data.secretHash);
  if (user.revokedFamilies.includes(token.familyId)) return [];
  return [{ type: 'RefreshTokenFamilyRevoked', data: { userId: user.userId, familyId: token.familyId, reason: 'logout', revokedAt: data.now } }];
}

function requireRegistered(state: UserState): Registered {
  if (state.status === 'unregistered') throw new DomainError(UserErrors.notFound, 'No such user');
  return state;
}

/** The token, if its user and id exist and the secret matches; each miss is the same answer. */
function presented(state: UserState, tokenId: string, secretHash: string): { user: Registered; token: RefreshTokenRecord } {
  const token = state.status === 'registered' && Object.hasOwn(state.refreshTokens, tokenId) ? state.refreshTokens[tokenId] : undefined;
  if (state.status !== 'registered' || !token || !sameHash(token.secretHash, secretHash)) throw refreshError(UserErrors.refreshTokenUnknown, 'No such refresh token');
  return { user: state, token };
}

/** Compares in time independent of where the hashes differ. */
function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const refreshError = (code: string, detail: string) => new DomainError(code, detail);
