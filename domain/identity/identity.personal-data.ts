import {
  apiKeyUseSubject,
  noPersonalData,
  signInSubject,
  userSubject,
  type PersonalDataOf,
} from '../shared/personal-data.js';
import type { ApiKeyEvent } from './api-key.events.js';
import type { PasswordResetEvent } from './password-reset.events.js';
import type { SessionEvent } from './session.events.js';
import type { SignInEvent } from './sign-in.events.js';
import type { UserEvent } from './user.events.js';

const ofUser = (d: { userId: string }) => userSubject(d.userId);
/** Failed sign-ins of a known account are the user's; of an unknown email, that email's stream's. */
const ofSignIn = (d: { userId: string | null }, streamId: string) =>
  d.userId ? userSubject(d.userId) : signInSubject(streamId);

export const identityPersonalData: PersonalDataOf<
  UserEvent | SessionEvent | SignInEvent | PasswordResetEvent | ApiKeyEvent
> = {
  UserRegistered: {
    subject: ofUser,
    personal: ['email', 'name'],
    // The password hash is a secret, not data about the person; it never leaves the write side.
    plain: ['userId', 'roles[]', 'passwordHash', 'customerId', 'registeredAt'],
  },
  UserPasswordChanged: noPersonalData('userId', 'passwordHash', 'via', 'changedAt'),
  UserDisabled: { subject: ofUser, personal: ['reason'], plain: ['userId', 'disabledAt'] },
  UserEnabled: noPersonalData('userId', 'enabledAt'),
  UserSignedOutEverywhere: noPersonalData('userId', 'signedOutAt'),
  UserExternalIdentityLinked: {
    subject: ofUser,
    personal: ['subject'],
    plain: ['userId', 'provider', 'via', 'linkedAt'],
  },
  UserErased: noPersonalData('userId', 'erasedAt'),
  // A credential, not data about the person: encrypted under the user's key all the same (it must stay
  // secret at rest and go with an erasure); the audit routes redact it.
  UserMfaEnrolmentStarted: { subject: ofUser, personal: ['totpSecret'], plain: ['userId', 'startedAt'] },
  UserMfaEnabled: noPersonalData('userId', 'recoveryCodeHashes[]', 'enabledAt'),
  UserMfaDisabled: noPersonalData('userId', 'disabledAt'),
  UserMfaRecoveryCodeUsed: noPersonalData('userId', 'usedAt'),
  SessionStarted: {
    subject: ofUser,
    personal: ['userAgent', 'ipAddress'],
    plain: ['sessionId', 'userId', 'tokenId', 'secretHash', 'expiresAt', 'absoluteExpiresAt', 'deviceKey', 'startedAt'],
  },
  SessionRefreshed: noPersonalData(
    'sessionId',
    'userId',
    'spentTokenId',
    'tokenId',
    'secretHash',
    'expiresAt',
    'refreshedAt',
  ),
  SessionEnded: noPersonalData('sessionId', 'userId', 'reason', 'endedAt'),
  SignInFailed: { subject: ofSignIn, personal: ['ipAddress'], plain: ['userId', 'failedAt'] },
  SignInLockedOut: { subject: ofSignIn, personal: ['ipAddress'], plain: ['userId', 'lockedUntil', 'lockedAt'] },
  SignInFailuresCleared: noPersonalData('userId', 'reason', 'clearedAt'),
  PasswordResetRequested: noPersonalData('resetId', 'userId', 'secretHash', 'expiresAt', 'requestedAt'),
  PasswordResetCompleted: noPersonalData('resetId', 'userId', 'completedAt'),
  // An API key names a service, not a person.
  ApiKeyCreated: noPersonalData('apiKeyId', 'name', 'roles[]', 'secretHash', 'expiresAt', 'createdAt'),
  ApiKeyRevoked: noPersonalData('apiKeyId', 'revokedAt'),
  // The client's address and agent may be a person's (a key used from a laptop): encrypted under a key
  // of the API key's own, as failed sign-ins of unknown emails are under their stream's.
  ApiKeyUsed: {
    subject: (_d, streamId) => apiKeyUseSubject(streamId),
    personal: ['ipAddress', 'userAgent'],
    plain: ['apiKeyId', 'minute', 'usedAt'],
  },
};
