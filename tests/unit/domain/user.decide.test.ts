import { assertPasswordPolicy } from '../../../domain/identity/password-policy.js';
import { decideUserEmailClaim, evolveUserEmail, initialUserEmailState, userEmailStream } from '../../../domain/identity/user-email.js';
import type { RegisterUser, UserCommand } from '../../../domain/identity/user.commands.js';
import { decideUser } from '../../../domain/identity/user.decide.js';
import type { UserEvent } from '../../../domain/identity/user.events.js';
import { evolveUser, initialUserState } from '../../../domain/identity/user.state.js';
import { deciderSpec } from '../../support/decider-spec.js';

const spec = deciderSpec({ decide: decideUser, evolve: evolveUser, initialState: initialUserState });
const now = '2026-01-01T10:00:00.000Z';
const later = '2026-03-01T10:00:00.000Z';
const expiresAt = '2026-02-01T10:00:00.000Z';
const hash = (c: string) => c.repeat(64);

const register = (overrides: Partial<RegisterUser['data']> = {}): UserCommand => ({
  type: 'RegisterUser',
  data: { userId: 'u1', email: ' Ann@Example.COM ', name: ' Ann ', roles: ['customer'], passwordHash: '$argon2id$x', customerId: 'c1', now, ...overrides },
});
const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId: 'u1', email: 'ann@example.com', name: 'Ann', roles: ['customer'], passwordHash: '$argon2id$x', customerId: 'c1', registeredAt: now },
};
const issued = (tokenId: string, familyId = 'f1', secret = 'a', at = now): UserEvent => ({
  type: 'RefreshTokenIssued',
  data: { userId: 'u1', tokenId, familyId, secretHash: hash(secret), expiresAt, issuedAt: at },
});
const spent = (tokenId: string, replacedBy: string): UserEvent => ({ type: 'RefreshTokenSpent', data: { userId: 'u1', tokenId, replacedBy, spentAt: now } });
const revoked = (reason: 'logout' | 'reuse_detected', familyId = 'f1', at = now): UserEvent => ({
  type: 'RefreshTokenFamilyRevoked',
  data: { userId: 'u1', familyId, reason, revokedAt: at },
});
const rotate = (tokenId: string, secret = 'a', at = now): UserCommand => ({
  type: 'RotateRefreshToken',
  data: { tokenId, secretHash: hash(secret), next: { tokenId: `${tokenId}-next`, secretHash: hash('b'), expiresAt }, now: at },
});
const logout = (tokenId: string, secret = 'a'): UserCommand => ({ type: 'RevokeRefreshTokenFamily', data: { tokenId, secretHash: hash(secret), now } });

describe('User decider', () => {
  describe('RegisterUser', () => {
    it('registers with a normalised email and a trimmed name', () => spec.given([]).when(register()).then([registered]));
    it('registers a staff user without a customer record', () =>
      spec.given([]).when(register({ roles: ['staff', 'admin'], customerId: undefined })).then([
        { type: 'UserRegistered', data: { userId: 'u1', email: 'ann@example.com', name: 'Ann', roles: ['staff', 'admin'], passwordHash: '$argon2id$x', registeredAt: now } },
      ]));
    it('refuses a second registration', () => spec.given([registered]).when(register()).thenThrows('USER_ALREADY_REGISTERED'));
    it('refuses a malformed email', () => spec.given([]).when(register({ email: 'not an email' })).thenThrows('USER_INVALID'));
    it('refuses a blank name', () => spec.given([]).when(register({ name: '   ' })).thenThrows('USER_INVALID'));
    it('refuses no roles', () => spec.given([]).when(register({ roles: [], customerId: undefined })).thenThrows('USER_INVALID'));
    it('refuses a repeated role', () => spec.given([]).when(register({ roles: ['customer', 'customer'] })).thenThrows('USER_INVALID'));
    it('refuses a customer without a customer record', () => spec.given([]).when(register({ customerId: undefined })).thenThrows('USER_INVALID'));
    it('refuses a customer record without the customer role', () => spec.given([]).when(register({ roles: ['staff'] })).thenThrows('USER_INVALID'));
  });

  describe('IssueRefreshToken', () => {
    const issue = (familyId = 'f1'): UserCommand => ({ type: 'IssueRefreshToken', data: { tokenId: 't1', familyId, secretHash: hash('a'), expiresAt, now } });
    it('issues a token starting a family', () => spec.given([registered]).when(issue()).then([issued('t1')]));
    it('refuses an unknown user', () => spec.given([]).when(issue()).thenThrows('USER_NOT_FOUND'));
    it('refuses a revoked family', () => spec.given([registered, issued('t0'), revoked('logout')]).when(issue()).thenThrows('REFRESH_TOKEN_REVOKED'));
  });

  describe('RotateRefreshToken', () => {
    it('spends the token and issues its successor in the same family', () =>
      spec.given([registered, issued('t1')]).when(rotate('t1')).then([spent('t1', 't1-next'), issued('t1-next', 'f1', 'b')]));
    it('rotates the successor again', () =>
      spec.given([registered, issued('t1'), spent('t1', 't2'), issued('t2', 'f1', 'c')]).when(rotate('t2', 'c')).then([spent('t2', 't2-next'), issued('t2-next', 'f1', 'b')]));
    it('revokes the whole family when a spent token comes back (reuse)', () =>
      spec.given([registered, issued('t1'), spent('t1', 't2'), issued('t2', 'f1', 'c')]).when(rotate('t1')).then([revoked('reuse_detected')]));
    it('refuses a spent token of a family revoked already, recording nothing more', () =>
      spec.given([registered, issued('t1'), spent('t1', 't2'), issued('t2', 'f1', 'c'), revoked('reuse_detected')]).when(rotate('t1')).thenThrows('REFRESH_TOKEN_REVOKED'));
    it('refuses the successor once its family is revoked', () =>
      spec.given([registered, issued('t1'), spent('t1', 't2'), issued('t2', 'f1', 'c'), revoked('reuse_detected')]).when(rotate('t2', 'c')).thenThrows('REFRESH_TOKEN_REVOKED'));
    it('refuses a token after logout', () => spec.given([registered, issued('t1'), revoked('logout')]).when(rotate('t1')).thenThrows('REFRESH_TOKEN_REVOKED'));
    it('refuses an expired token', () => spec.given([registered, issued('t1')]).when(rotate('t1', 'a', later)).thenThrows('REFRESH_TOKEN_EXPIRED'));
    it('refuses a token at the instant it expires', () => spec.given([registered, issued('t1')]).when(rotate('t1', 'a', expiresAt)).thenThrows('REFRESH_TOKEN_EXPIRED'));
    it('refuses a wrong secret without revoking anything', () => spec.given([registered, issued('t1'), spent('t1', 't2')]).when(rotate('t1', 'z')).thenThrows('REFRESH_TOKEN_UNKNOWN'));
    it('refuses an unknown token', () => spec.given([registered, issued('t1')]).when(rotate('t9')).thenThrows('REFRESH_TOKEN_UNKNOWN'));
    it('refuses a token id that is an Object.prototype key', () => spec.given([registered]).when(rotate('__proto__')).thenThrows('REFRESH_TOKEN_UNKNOWN'));
    it('refuses a token of an unknown user', () => spec.given([]).when(rotate('t1')).thenThrows('REFRESH_TOKEN_UNKNOWN'));
    it('leaves other families alone', () =>
      spec.given([registered, issued('t1'), issued('x1', 'f2', 'x'), revoked('logout', 'f2')]).when(rotate('t1')).then([spent('t1', 't1-next'), issued('t1-next', 'f1', 'b')]));
  });

  describe('RevokeRefreshTokenFamily (logout)', () => {
    it('revokes the family of the token', () => spec.given([registered, issued('t1')]).when(logout('t1')).then([revoked('logout')]));
    it('accepts a spent token of the family', () => spec.given([registered, issued('t1'), spent('t1', 't2'), issued('t2', 'f1', 'c')]).when(logout('t1')).then([revoked('logout')]));
    it('changes nothing when the family is revoked already', () => spec.given([registered, issued('t1'), revoked('logout')]).when(logout('t1')).then([]));
    it('refuses a wrong secret', () => spec.given([registered, issued('t1')]).when(logout('t1', 'z')).thenThrows('REFRESH_TOKEN_UNKNOWN'));
    it('refuses an unknown token', () => spec.given([registered]).when(logout('t1')).thenThrows('REFRESH_TOKEN_UNKNOWN'));
  });
});

describe('user email claim', () => {
  const claims = deciderSpec({ decide: decideUserEmailClaim, evolve: evolveUserEmail, initialState: initialUserEmailState });
  const claimed = { type: 'UserEmailClaimed' as const, data: { email: 'ann@example.com', userId: 'u1' } };
  it('claims a free email, normalised', () => claims.given([]).when({ email: 'Ann@Example.com', userId: 'u1' }).then([claimed]));
  it('is idempotent for the same user', () => claims.given([claimed]).when({ email: 'ann@example.com', userId: 'u1' }).then([]));
  it('refuses another user', () => claims.given([claimed]).when({ email: 'ann@example.com', userId: 'u2' }).thenThrows('EMAIL_TAKEN'));
  it('names one stream per email, whatever its case', () => expect(userEmailStream(' Ann+x@Example.com ')).toBe('useremail-ann%2Bx%40example.com'));
});

describe('password policy', () => {
  it.each([
    ['11 characters', 'a'.repeat(11), false],
    ['12 characters', 'a'.repeat(12), true],
    ['256 characters', 'a'.repeat(256), true],
    ['257 characters', 'a'.repeat(257), false],
    ['12 emoji (code points, not UTF-16 units)', '🔑'.repeat(12), true],
  ])('%s', (_what, password, ok) => {
    if (ok) expect(() => assertPasswordPolicy(password)).not.toThrow();
    else expect(() => assertPasswordPolicy(password)).toThrow(expect.objectContaining({ code: 'PASSWORD_POLICY' }));
  });
});
