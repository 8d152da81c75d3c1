import { BLIND_INDEX, type BlindIndex } from '../../../application/ports/blind-index.port.js';
import { CommandBus } from '@nestjs/cqrs';
import { EnsureAdminCommand } from '../../../application/identity/ensure-admin.command.js';
import { systemContext } from '../../../application/shared/command-context.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TestClock } from '../../support/test-clock.js';

const ADMIN = { email: 'root@rentlog.test', password: 'admin-password-123' };
const GRACE_SECONDS = 10;
let t: TestApp;
const clock = new TestClock(new Date().toISOString());
beforeAll(async () => {
  t = await startTestApp(
    {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      REFRESH_GRACE_SECONDS: String(GRACE_SECONDS),
    },
    { clock },
  );
});
const pastTheGrace = () => clock.advance((GRACE_SECONDS + 1) * 1000);
afterAll(() => t.close());

let n = 0;
const uniqueEmail = () => `user${++n}-${Date.now()}@example.com`;
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signUp(email = uniqueEmail(), password = 'correct horse battery') {
  const res = await post('/v1/auth/register', { email, password, name: 'Ann Lee' });
  expect(res.statusCode).toBe(201);
  return { email, password, ...(res.json() as { userId: string; customerId: string; position: string }) };
}

async function login(email: string, password: string) {
  const res = await post('/v1/auth/login', { email, password });
  expect(res.statusCode).toBe(200);
  return res.json() as { accessToken: string; refreshToken: string; tokenType: string; expiresIn: number };
}

describe('sign up, sign in, rotate, sign out', () => {
  it('walks the whole session life cycle', async () => {
    const { email, password, userId, customerId, position } = await signUp();
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(position).toMatch(/^\d+$/);

    const res = await post('/v1/auth/login', { email: email.toUpperCase(), password });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const first = res.json();
    expect(first).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[^.]+\.[^.]+\.[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });

    const me = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(first.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ userId, email, name: 'Ann Lee', roles: ['customer'], customerId, mfaEnabled: false });

    const refreshed = await post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(second.accessToken) })).json()
        .customerId,
    ).toBe(customerId);

    // The old token is spent: presented again after the grace period it is reuse, which ends the
    // session (the new token too).
    pastTheGrace();
    const reused = await post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ status: 401, code: 'INVALID_REFRESH_TOKEN' });
    expect((await post('/v1/auth/refresh', { refreshToken: second.refreshToken })).statusCode).toBe(401);
    // The session is a stream of its own; the user's stream holds only what changes the user.
    expect((await t.infra.events.readStream(`user-${userId}`)).map((e) => e.type)).toEqual(['UserRegistered']);
    const sessionId = first.refreshToken.split('.')[0];
    const session = await t.infra.events.readStream(`session-${sessionId}`);
    expect(session.map((e) => e.type)).toEqual(['SessionStarted', 'SessionRefreshed', 'SessionEnded']);
    expect(session[2].data).toMatchObject({ userId, reason: 'reuse_detected' });
    expect(session[0].metadata.actor).toEqual({ userId, role: 'customer' });

    // A new login starts a new session; logging out ends it.
    const third = await login(email, password);
    const out = await post('/v1/auth/logout', { refreshToken: third.refreshToken }, bearer(third.accessToken));
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect((await post('/v1/auth/refresh', { refreshToken: third.refreshToken })).statusCode).toBe(401);
    // The session's access token ended with it: a second logout is not signed in any more.
    const again = await post('/v1/auth/logout', { refreshToken: third.refreshToken }, bearer(third.accessToken));
    expect(again.statusCode).toBe(401);
  });

  it('never answers or leaks password or token hashes', async () => {
    const { email, password, userId } = await signUp();
    const pair = await login(email, password);
    const me = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(pair.accessToken) });
    expect(me.body).not.toMatch(/argon2|passwordHash|secretHash/);
    const [registered] = await t.infra.events.readStream(`user-${userId}`);
    expect(registered.data).toMatchObject({ passwordHash: expect.stringMatching(/^\$argon2id\$/) });
    const [started] = await t.infra.events.readStream(`session-${pair.refreshToken.split('.')[0]}`);
    expect(started.data).toMatchObject({ userId, secretHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(started.data)).not.toContain(pair.refreshToken.split('.')[2]);
  });

  it('answers concurrent refreshes of one token with one successor, and a replay after the grace ends the session', async () => {
    const { email, password } = await signUp();
    const { refreshToken } = await login(email, password);
    const results = await Promise.all(Array.from({ length: 5 }, () => post('/v1/auth/refresh', { refreshToken })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    // One rotation happened: every answer carries the same successor, and the stream has one refresh.
    const successors = new Set(results.map((r) => r.json().refreshToken as string));
    expect(successors.size).toBe(1);
    const sessionId = refreshToken.split('.')[0];
    const types = async () => (await t.infra.events.readStream(`session-${sessionId}`)).map((e) => e.type);
    expect(await types()).toEqual(['SessionStarted', 'SessionRefreshed']);
    const [successor] = successors;
    expect(successor).not.toBe(refreshToken);

    pastTheGrace();
    expect((await post('/v1/auth/refresh', { refreshToken })).statusCode).toBe(401);
    expect(await types()).toEqual(['SessionStarted', 'SessionRefreshed', 'SessionEnded']);
    expect((await post('/v1/auth/refresh', { refreshToken: successor })).statusCode).toBe(401);
  });

  it('refuses made-up, malformed and foreign refresh tokens with 401', async () => {
    const a = await signUp();
    const b = await signUp();
    const pairA = await login(a.email, a.password);
    const pairB = await login(b.email, b.password);
    const [sessionA, tokenA, secretA] = pairA.refreshToken.split('.');
    const [sessionB] = pairB.refreshToken.split('.');
    for (const refreshToken of [
      'nonsense',
      `${sessionA}.${tokenA}.${'A'.repeat(43)}`,
      `${sessionB}.${tokenA}.${secretA}`,
    ]) {
      expect((await post('/v1/auth/refresh', { refreshToken })).statusCode).toBe(401);
    }
    // Someone else's token cannot be logged out (and so not revoked) by another user.
    expect(
      (await post('/v1/auth/logout', { refreshToken: pairB.refreshToken }, bearer(pairA.accessToken))).statusCode,
    ).toBe(401);
    expect((await post('/v1/auth/refresh', { refreshToken: pairB.refreshToken })).statusCode).toBe(200);
    expect((await post('/v1/auth/logout', { refreshToken: pairA.refreshToken })).statusCode).toBe(401);
  });
});

describe('credentials', () => {
  it('answers a wrong password and an unknown email with identical 401 bodies', async () => {
    const { email } = await signUp();
    const wrong = await post('/v1/auth/login', { email, password: 'not the password at all' });
    const unknown = await post('/v1/auth/login', { email: uniqueEmail(), password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(unknown.body).toBe(wrong.body);
  });

  it('refuses a second sign-up with the same email, whatever its case (409)', async () => {
    const { email } = await signUp();
    const res = await post('/v1/auth/register', {
      email: email.toUpperCase(),
      password: 'another password 1',
      name: 'Bob',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, code: 'EMAIL_TAKEN' });
  });

  it.each([
    [
      'an unknown field',
      { email: 'x@example.com', password: 'long enough password', name: 'X', roles: ['admin'] },
      'roles',
    ],
    ['a short password', { email: 'x@example.com', password: 'short', name: 'X' }, 'password'],
    ['a bad email', { email: 'not-an-email', password: 'long enough password', name: 'X' }, 'email'],
    ['a blank name', { email: 'x@example.com', password: 'long enough password', name: '   ' }, 'name'],
    ['a missing name', { email: 'x@example.com', password: 'long enough password' }, 'name'],
  ])('refuses a sign-up with %s (400) and appends nothing', async (_what, payload, field) => {
    const before = await t.infra.events.headPosition();
    const res = await post('/v1/auth/register', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await t.infra.events.headPosition()).toBe(before);
  });

  it.each([
    ['a breached password with digits around it', 'Password1234!', 'is too common'],
    ['the email’s local part', 'my-{local}-is-secret', 'must not contain your email address or name'],
    ['the name', 'beatrice forever!', 'must not contain your email address or name'],
  ])('refuses a sign-up with %s (400 PASSWORD_POLICY) and appends nothing', async (_what, template, message) => {
    const email = uniqueEmail();
    const password = template.replace('{local}', email.split('@')[0]);
    const before = await t.infra.events.headPosition();
    const res = await post('/v1/auth/register', { email, password, name: 'Beatrice Okafor' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'PASSWORD_POLICY',
      errors: [{ field: 'password', message: expect.stringContaining(message) }],
    });
    expect(await t.infra.events.headPosition()).toBe(before);
  });

  it('takes a password as NFKC: the full-width form of a password signs in with the plain one', async () => {
    const { email } = await signUp(uniqueEmail(), 'ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ');
    expect((await post('/v1/auth/login', { email, password: 'correct horse battery' })).statusCode).toBe(200);
  });

  it('holds a new password to the policy too, naming the field', async () => {
    const { email, password } = await signUp();
    const pair = await login(email, password);
    const res = await post(
      '/v1/auth/password',
      { currentPassword: password, newPassword: 'qwertyuiop12' },
      bearer(pair.accessToken),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PASSWORD_POLICY', errors: [{ field: 'newPassword' }] });
    expect((await post('/v1/auth/login', { email, password })).statusCode).toBe(200);
  });

  it('validates login and refresh bodies', async () => {
    expect((await post('/v1/auth/login', { email: 'a@example.com', password: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await post('/v1/auth/refresh', {})).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me' })).statusCode).toBe(401);
    expect((await post('/v1/auth/logout', { refreshToken: 'x' })).statusCode).toBe(401);
  });
});

describe('users and the bootstrap admin', () => {
  it('creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD, who creates staff, who register customers', async () => {
    const admin = await login(ADMIN.email, ADMIN.password);
    const me = (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(admin.accessToken) })).json();
    expect(me).toMatchObject({ email: ADMIN.email, roles: ['admin'] });
    expect(me.customerId).toBeUndefined();

    const staffEmail = uniqueEmail();
    const created = await post(
      '/v1/users',
      { email: staffEmail, password: 'shop counter 123', name: 'Sam Staff', roles: ['staff'] },
      bearer(admin.accessToken),
    );
    expect(created.statusCode).toBe(201);
    const { userId } = created.json();
    const [event] = await t.infra.events.readStream(`user-${userId}`);
    expect(event.type).toBe('UserRegistered');
    expect(event.metadata.actor).toEqual({ userId: me.userId, role: 'admin' });

    const staff = await login(staffEmail, 'shop counter 123');
    const customer = await post(
      '/v1/customers',
      { name: 'Walk In', email: 'walk.in@example.com' },
      bearer(staff.accessToken),
    );
    expect(customer.statusCode).toBe(201);
    expect(customer.json()).toEqual({ customerId: expect.any(String), position: expect.stringMatching(/^\d+$/) });
  });

  it('gives a user created with the customer role a customer record', async () => {
    const res = await post(
      '/v1/users',
      { email: uniqueEmail(), password: 'customer password', name: 'Cat', roles: ['customer'] },
      t.authAs(['admin']),
    );
    expect(res.statusCode).toBe(201);
    const { customerId, position } = res.json();
    const read = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/${customerId}`,
      headers: { ...t.authAs(['staff']), 'x-min-position': position },
    });
    expect(read.json()).toMatchObject({ customerId, name: 'Cat', userId: res.json().userId });
  });

  it('lets only admins create users (403) and validates roles', async () => {
    const body = { email: uniqueEmail(), password: 'shop counter 123', name: 'X', roles: ['staff'] };
    expect((await post('/v1/users', body, t.authAs(['staff']))).statusCode).toBe(403);
    expect((await post('/v1/users', body, t.authAs(['customer'], { customerId: 'c1' }))).statusCode).toBe(403);
    expect((await post('/v1/users', body)).statusCode).toBe(401);
    expect((await post('/v1/users', { ...body, roles: ['root'] }, t.authAs(['admin']))).statusCode).toBe(400);
    expect((await post('/v1/users', { ...body, roles: [] }, t.authAs(['admin']))).statusCode).toBe(400);
  });

  it('does not create the admin twice when EnsureAdmin runs again (each start runs it)', async () => {
    const head = await t.infra.events.headPosition();
    const result = await t.app
      .get(CommandBus)
      .execute(new EnsureAdminCommand({ ...ADMIN, email: ADMIN.email.toUpperCase() }, systemContext('test')));
    expect(result).toMatchObject({ created: false, userId: expect.any(String) });
    expect(await t.infra.events.headPosition()).toBe(head);
    expect(
      await t.infra.events.readStream(
        `useremailclaim-${t.app.get<BlindIndex>(BLIND_INDEX).of('user-email', ADMIN.email)}`,
      ),
    ).toHaveLength(1);
  });
});

describe('personal data and the user stream', () => {
  it('puts no email into any stream id, and logins and refreshes never grow the user stream', async () => {
    const { email, password, userId } = await signUp();
    for (let i = 0; i < 5; i++) {
      const pair = await login(email, password);
      expect((await post('/v1/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(200);
    }
    expect(await t.infra.events.readStream(`user-${userId}`)).toHaveLength(1);
    const streams = new Set((await t.infra.events.readAll()).map((e) => e.streamId));
    expect(
      [...streams].filter(
        (id) => id.includes('@') || id.includes('%40') || id.toLowerCase().includes(email.split('@')[0]),
      ),
    ).toEqual([]);
  });
});

describe('credentials and idempotency keys', () => {
  it('never stores a login answer for replay: the same key logs in afresh and nothing is kept', async () => {
    const user = await signUp();
    const first = await post(
      '/v1/auth/login',
      { email: user.email, password: user.password },
      { 'idempotency-key': 'login-key' },
    );
    const again = await post(
      '/v1/auth/login',
      { email: user.email, password: user.password },
      { 'idempotency-key': 'login-key' },
    );
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json().refreshToken).not.toBe(first.json().refreshToken);
    const stored = await t.infra.store.collection('sys_idempotency').find({});
    expect(JSON.stringify(stored)).not.toContain(first.json().refreshToken);
  });
});
