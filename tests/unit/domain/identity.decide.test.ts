import { externalIdentityClaimDecider } from '../../../domain/identity/external-identity.js';
import { assertPasswordPolicy, normalisePassword } from '../../../domain/identity/password-policy.js';
import type { SessionCommand } from '../../../domain/identity/session.commands.js';
import { sessionDecider } from '../../../domain/identity/session.decider.js';
import type { SessionEvent } from '../../../domain/identity/session.events.js';
import { REMEMBERED_SPENT_TOKENS, type SessionState } from '../../../domain/identity/session.state.js';
import { userEmailClaimDecider } from '../../../domain/identity/user-email.js';
import type { RegisterUser, UserCommand } from '../../../domain/identity/user.commands.js';
import { userDecider } from '../../../domain/identity/user.decider.js';
import type { UserEvent } from '../../../domain/identity/user.events.js';
import { deciderSpec } from '../../support/decider-spec.js';

const now = '2026-01-01T10:00:00.000Z';
const later = '2026-03-01T10:00:00.000Z';
const expiresAt = '2026-02-01T10:00:00.000Z';
const hash = (c: string) => c.repeat(64);

describe('User decider', () => {
  const spec = deciderSpec(userDecider);
  const register = (overrides: Partial<RegisterUser['data']> = {}): UserCommand => ({
    type: 'RegisterUser',
    data: {
      userId: 'u1',
      email: ' Ann@Example.COM ',
      name: ' Ann ',
      roles: ['customer'],
      passwordHash: '$argon2id$x',
      customerId: 'c1',
      now,
      ...overrides,
    },
  });
  const registered: UserEvent = {
    type: 'UserRegistered',
    data: {
      userId: 'u1',
      email: 'ann@example.com',
      name: 'Ann',
      roles: ['customer'],
      passwordHash: '$argon2id$x',
      customerId: 'c1',
      registeredAt: now,
    },
  };
  it('registers with a normalised email and a trimmed name', () => spec.given([]).when(register()).then([registered]));
  it('registers a staff user without a customer record', () =>
    spec
      .given([])
      .when(register({ roles: ['staff', 'admin'], customerId: undefined }))
      .then([
        {
          type: 'UserRegistered',
          data: {
            userId: 'u1',
            email: 'ann@example.com',
            name: 'Ann',
            roles: ['staff', 'admin'],
            passwordHash: '$argon2id$x',
            registeredAt: now,
          },
        },
      ]));
  it('refuses a second registration', () =>
    spec.given([registered]).when(register()).thenThrows('USER_ALREADY_REGISTERED'));
  it('refuses a malformed email', () =>
    spec
      .given([])
      .when(register({ email: 'not an email' }))
      .thenThrows('USER_INVALID'));
  it('refuses a blank name', () =>
    spec
      .given([])
      .when(register({ name: '   ' }))
      .thenThrows('USER_INVALID'));
  it('refuses no roles', () =>
    spec
      .given([])
      .when(register({ roles: [], customerId: undefined }))
      .thenThrows('USER_INVALID'));
  it('refuses a repeated role', () =>
    spec
      .given([])
      .when(register({ roles: ['customer', 'customer'] }))
      .thenThrows('USER_INVALID'));
  it('refuses a customer without a customer record', () =>
    spec
      .given([])
      .when(register({ customerId: undefined }))
      .thenThrows('USER_INVALID'));
  it('refuses a customer record without the customer role', () =>
    spec
      .given([])
      .when(register({ roles: ['staff'] }))
      .thenThrows('USER_INVALID'));
  it('registers a user without a password (one who signs in through an external identity)', () =>
    spec
      .given([])
      .when(register({ passwordHash: null }))
      .then([{ ...registered, data: { ...registered.data, passwordHash: null } } as UserEvent]));

  const link = (subject = 'sub-1', provider = 'corp'): UserCommand => ({
    type: 'LinkExternalIdentity',
    data: { provider, subject, via: 'verified_email', now: later },
  });
  const linked = (subject = 'sub-1', provider = 'corp'): UserEvent => ({
    type: 'UserExternalIdentityLinked',
    data: { userId: 'u1', provider, subject, via: 'verified_email', linkedAt: later },
  });
  it('links an external identity', () => spec.given([registered]).when(link()).then([linked()]));
  it('links the same identity once: again changes nothing', () =>
    spec.given([registered, linked()]).when(link()).then([]));
  it('links another identity, at the same or another provider', () => {
    spec
      .given([registered, linked()])
      .when(link('sub-2'))
      .then([linked('sub-2')]);
    spec
      .given([registered, linked()])
      .when(link('sub-1', 'other'))
      .then([linked('sub-1', 'other')]);
  });
  it('refuses to link to nobody, or without a provider or subject', () => {
    spec.given([]).when(link()).thenThrows('USER_NOT_FOUND');
    spec.given([registered]).when(link('')).thenThrows('USER_INVALID');
    spec.given([registered]).when(link('sub-1', '')).thenThrows('USER_INVALID');
  });
  it('remembers the linked identities in its state', () => {
    const state = [registered, linked(), linked('sub-2', 'other')].reduce(
      userDecider.evolve,
      userDecider.initialState(),
    );
    expect(state).toMatchObject({
      externalIdentities: [
        { provider: 'corp', subject: 'sub-1' },
        { provider: 'other', subject: 'sub-2' },
      ],
    });
  });
  const erase: UserCommand = { type: 'EraseUser', data: { now: later } };
  const erasedUser: UserEvent = { type: 'UserErased', data: { userId: 'u1', erasedAt: later } };
  it('erases a user once: disabled for good, no profile, no password, no identities, every token void', () => {
    spec.given([registered, linked()]).when(erase).then([erasedUser]);
    spec.given([registered, erasedUser]).when(erase).then([]);
    const state = [registered, linked(), erasedUser].reduce(userDecider.evolve, userDecider.initialState());
    expect(state).toMatchObject({
      email: '[erased]',
      name: '[erased]',
      passwordHash: null,
      externalIdentities: [],
      disabled: true,
      tokenVersion: 1,
      erased: true,
    });
  });
  it('refuses everything but erasure once a user is erased', () => {
    spec.given([registered, erasedUser]).when({ type: 'EnableUser', data: { now } }).thenThrows('USER_NOT_FOUND');
    spec
      .given([registered, erasedUser])
      .when({ type: 'ChangePassword', data: { passwordHash: 'h', via: 'reset', now } })
      .thenThrows('USER_NOT_FOUND');
  });
});

describe('External identity claim (one user per identity at a provider)', () => {
  const spec = deciderSpec(externalIdentityClaimDecider);
  const claimed = (ownerId: string) => ({
    type: 'UniqueValueClaimed' as const,
    data: { scope: 'external-identity' as const, ownerId },
  });
  const claim = (ownerId: string) => ({ type: 'ClaimUniqueValue' as const, data: { ownerId } });
  it('is claimed for a user', () =>
    spec
      .given([])
      .when(claim('u1'))
      .then([claimed('u1')]));
  it('claimed again by its owner changes nothing', () =>
    spec
      .given([claimed('u1')])
      .when(claim('u1'))
      .then([]));
  it('is refused to another user', () =>
    spec
      .given([claimed('u1')])
      .when(claim('u2'))
      .thenThrows('EXTERNAL_IDENTITY_TAKEN'));
  it('lives in a stream named by a key, not by the subject', () =>
    expect(externalIdentityClaimDecider.streamOf('k3y')).toBe('externalidentityclaim-k3y'));
});

describe('Session decider (a sign-in and its refresh tokens, in a stream of its own)', () => {
  const spec = deciderSpec(sessionDecider);
  const token = (id: string, secret: string) => ({ tokenId: id, secretHash: hash(secret), expiresAt });
  const started: SessionEvent = {
    type: 'SessionStarted',
    data: {
      sessionId: 's1',
      userId: 'u1',
      tokenVersion: 0,
      tokenId: 't1',
      secretHash: hash('a'),
      expiresAt,
      absoluteExpiresAt: later,
      userAgent: 'Firefox',
      ipAddress: '203.0.113.9',
      deviceKey: 'device-key-1',
      startedAt: now,
    },
  };
  const refreshed = (spent: string, next: string, secret: string): SessionEvent => ({
    type: 'SessionRefreshed',
    data: {
      sessionId: 's1',
      userId: 'u1',
      spentTokenId: spent,
      tokenId: next,
      secretHash: hash(secret),
      expiresAt,
      refreshedAt: now,
    },
  });
  const ended = (reason: 'logout' | 'reuse_detected', at = now): SessionEvent => ({
    type: 'SessionEnded',
    data: { sessionId: 's1', userId: 'u1', reason, endedAt: at },
  });
  const start: SessionCommand = {
    type: 'StartSession',
    data: {
      sessionId: 's1',
      userId: 'u1',
      tokenVersion: 0,
      token: token('t1', 'a'),
      absoluteExpiresAt: later,
      userAgent: 'Firefox',
      ipAddress: '203.0.113.9',
      deviceKey: 'device-key-1',
      now,
    },
  };
  const secondsAfter = (seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();
  const refresh = (
    id: string,
    secret: string,
    next = 't-next',
    at = secondsAfter(30),
    version = 0,
  ): SessionCommand => ({
    type: 'RefreshSession',
    data: {
      presented: { tokenId: id, secretHash: hash(secret) },
      next: token(next, 'n'),
      userTokenVersion: version,
      graceSeconds: 10,
      now: at,
    },
  });
  const logout = (id: string, secret: string): SessionCommand => ({
    type: 'Logout',
    data: { presented: { tokenId: id, secretHash: hash(secret) }, now },
  });

  it('starts with its first token', () => spec.given([]).when(start).then([started]));
  it('refuses to start twice', () => spec.given([started]).when(start).thenThrows('SESSION_ALREADY_STARTED'));
  it('spends the current token and issues its successor', () =>
    spec
      .given([started])
      .when(refresh('t1', 'a', 't2'))
      .then([
        {
          ...refreshed('t1', 't2', 'n'),
          data: { ...refreshed('t1', 't2', 'n').data, refreshedAt: secondsAfter(30) },
        } as SessionEvent,
      ]));
  it('rotates the successor again', () =>
    spec
      .given([started, refreshed('t1', 't2', 'c')])
      .when(refresh('t2', 'c', 't3'))
      .then([
        {
          ...refreshed('t2', 't3', 'n'),
          data: { ...refreshed('t2', 't3', 'n').data, refreshedAt: secondsAfter(30) },
        } as SessionEvent,
      ]));
  it('ends the session when a spent token comes back (reuse)', () =>
    spec
      .given([started, refreshed('t1', 't2', 'c')])
      .when(refresh('t1', 'a'))
      .then([ended('reuse_detected', secondsAfter(30))]));
  it('answers a retry of the last refresh within the grace period with nothing new (the same successor)', () => {
    spec
      .given([started, refreshed('t1', 't2', 'c')])
      .when(refresh('t1', 'a', 't2', secondsAfter(9)))
      .then([]);
    spec
      .given([started, refreshed('t1', 't2', 'c')])
      .when(refresh('t1', 'a', 't2', secondsAfter(11)))
      .then([ended('reuse_detected', secondsAfter(11))]);
    spec // an older spent token is reuse, grace or not
      .given([started, refreshed('t1', 't2', 'c'), refreshed('t2', 't3', 'd')])
      .when(refresh('t1', 'a', 't2', secondsAfter(1)))
      .then([ended('reuse_detected', secondsAfter(1))]);
  });
  it('refuses a refresh after its user signed out everywhere (its token version moved on)', () =>
    spec
      .given([started])
      .when(refresh('t1', 'a', 't2', secondsAfter(30), 1))
      .thenThrows('INVALID_REFRESH_TOKEN'));
  it('ends at its absolute lifetime however it is refreshed, and caps each token at it', () => {
    const short = { ...started, data: { ...started.data, absoluteExpiresAt: secondsAfter(60) } } as SessionEvent;
    spec
      .given([short])
      .when(refresh('t1', 'a', 't2', secondsAfter(61)))
      .thenThrows('INVALID_REFRESH_TOKEN');
    spec
      .given([short])
      .when(refresh('t1', 'a', 't2', secondsAfter(30)))
      .then([
        {
          ...refreshed('t1', 't2', 'n'),
          data: { ...refreshed('t1', 't2', 'n').data, expiresAt: secondsAfter(60), refreshedAt: secondsAfter(30) },
        } as SessionEvent,
      ]);
  });
  it('is ended by its user (a device signed out) or by a password change; twice changes nothing', () => {
    spec
      .given([started])
      .when({ type: 'EndSession', data: { reason: 'ended_by_user', now } })
      .then([{ ...ended('logout'), data: { ...ended('logout').data, reason: 'ended_by_user' } } as SessionEvent]);
    spec
      .given([started, ended('logout')])
      .when({ type: 'EndSession', data: { reason: 'password_changed', now } })
      .then([]);
  });
  it('refuses any token of an ended session', () =>
    spec
      .given([started, refreshed('t1', 't2', 'c'), ended('reuse_detected')])
      .when(refresh('t2', 'c'))
      .thenThrows('INVALID_REFRESH_TOKEN'));
  it('refuses a token after logout', () =>
    spec
      .given([started, ended('logout')])
      .when(refresh('t1', 'a'))
      .thenThrows('INVALID_REFRESH_TOKEN'));
  it('refuses an expired token, and one at the instant it expires', () => {
    spec
      .given([started])
      .when(refresh('t1', 'a', 't2', later))
      .thenThrows('INVALID_REFRESH_TOKEN');
    spec
      .given([started])
      .when(refresh('t1', 'a', 't2', expiresAt))
      .thenThrows('INVALID_REFRESH_TOKEN');
  });
  it('refuses a wrong secret without ending anything', () =>
    spec
      .given([started, refreshed('t1', 't2', 'c')])
      .when(refresh('t1', 'z'))
      .thenThrows('INVALID_REFRESH_TOKEN'));
  it('refuses an unknown token and an unknown session', () => {
    spec.given([started]).when(refresh('t9', 'a')).thenThrows('INVALID_REFRESH_TOKEN');
    spec.given([]).when(refresh('t1', 'a')).thenThrows('INVALID_REFRESH_TOKEN');
  });
  it('logs out with the current token or a spent one; twice changes nothing', () => {
    spec
      .given([started])
      .when(logout('t1', 'a'))
      .then([ended('logout')]);
    spec
      .given([started, refreshed('t1', 't2', 'c')])
      .when(logout('t1', 'a'))
      .then([ended('logout')]);
    spec
      .given([started, ended('logout')])
      .when(logout('t1', 'a'))
      .then([]);
  });
  it('refuses a logout with a wrong secret', () =>
    spec.given([started]).when(logout('t1', 'z')).thenThrows('INVALID_REFRESH_TOKEN'));
  it(`keeps a state of constant size: the last ${REMEMBERED_SPENT_TOKENS} spent tokens, however often it is refreshed`, () => {
    const events: SessionEvent[] = [started];
    for (let i = 1; i <= 1000; i++) events.push(refreshed(`t${i}`, `t${i + 1}`, String(i % 10)));
    const state = events.reduce(sessionDecider.evolve, sessionDecider.initialState()) as Extract<
      SessionState,
      { status: 'active' }
    >;
    expect(state.spent).toHaveLength(REMEMBERED_SPENT_TOKENS);
    expect(state.current.tokenId).toBe('t1001');
    spec
      .given(events)
      .when(refresh('t1000', String(999 % 10)))
      .then([ended('reuse_detected', secondsAfter(30))]);
  });
});

describe('user email claim', () => {
  const claims = deciderSpec(userEmailClaimDecider);
  const claimed = { type: 'UniqueValueClaimed' as const, data: { scope: 'user-email' as const, ownerId: 'u1' } };
  it('claims a free email for its owner', () =>
    claims
      .given([])
      .when({ type: 'ClaimUniqueValue', data: { ownerId: 'u1' } })
      .then([claimed]));
  it('is idempotent for the same owner', () =>
    claims
      .given([claimed])
      .when({ type: 'ClaimUniqueValue', data: { ownerId: 'u1' } })
      .then([]));
  it('refuses another owner', () =>
    claims
      .given([claimed])
      .when({ type: 'ClaimUniqueValue', data: { ownerId: 'u2' } })
      .thenThrows('EMAIL_TAKEN'));
  it('names its stream by the key it is given (a keyed hash, made by the application), never an address', () =>
    expect(userEmailClaimDecider.streamOf('0123abcd')).toBe('useremailclaim-0123abcd'));
});

describe('password policy', () => {
  const common = new Set(['password', 'summer', 'qwertyuiop12', 'letmein']);
  const isCommon = (candidate: string) => common.has(candidate);
  const context = { email: 'ann.lee@example.com', name: 'Ann Marie Lee' };
  const check = (password: string) => () => assertPasswordPolicy(password, context, isCommon);

  it.each([
    ['12 characters', 'correct hors'],
    ['256 characters', 'abcdefghijklmnop'.repeat(16)],
    ['12 emoji of 4 kinds (code points, not UTF-16 units)', '🔑🐝🌵🎲'.repeat(3)],
    ['a passphrase', 'correct horse battery staple'],
    ['a common word inside a longer phrase', 'my password is a long sentence'],
  ])('accepts %s', (_what, password) => expect(check(password)).not.toThrow());

  it.each([
    ['11 characters', 'correct hor', 'must have 12 to 256 characters'],
    ['257 characters', 'a'.repeat(200) + 'bcdefghij'.repeat(6) + 'klm', 'must have 12 to 256 characters'],
    ['a listed password, whatever its case', 'QwertyUiop12', 'is too common'],
    ['a listed word with digits and symbols around it', 'Password1234!', 'is too common'],
    ['a listed word with a year', 'Summer2024!!', 'is too common'],
    ['a few characters repeated', 'abababababab', 'must not be a few characters repeated'],
    ['the email address', 'ann.lee@example.com', 'must not contain your email address or name'],
    ["a part of the email's local part", 'xx-ann.lee-yy-zz', 'must not contain your email address or name'],
    ['a word of the name', 'marie is my name!', 'must not contain your email address or name'],
    ['the service name', 'my rentlog account', 'must not contain your email address or name'],
  ])('refuses %s', (_what, password, message) => {
    expect(check(password)).toThrow(
      expect.objectContaining({
        code: 'PASSWORD_POLICY',
        errors: [{ field: 'password', message: expect.stringContaining(message) }],
      }),
    );
  });

  it('counts and compares after NFKC: full-width letters are the letters they look like', () => {
    // "ｐａｓｓｗｏｒｄ" (full-width) is "password" after NFKC, so it is as common.
    expect(check('ｐａｓｓｗｏｒｄ1234!')).toThrow(expect.objectContaining({ code: 'PASSWORD_POLICY' }));
    expect(normalisePassword('ｃｏｒｒｅｃｔ ｈｏｒｓｅ')).toBe('correct horse');
    // A decomposed accent composes: 11 code points as typed on one keyboard are 11 after NFKC too.
    expect(normalisePassword('cafe\u0301')).toBe('café');
  });
});
