import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Access and refresh tokens under attack: forged, altered and replayed tokens are refused with 401 and
 * change nothing; what a user or an admin revokes stops working from the next request on; sessions
 * end when they are too old whatever their refresh token says.
 */
const CURRENT = { kid: 'k2', secret: 'current-signing-key-'.padEnd(48, 'c') };
const PREVIOUS = { kid: 'k1', secret: 'previous-signing-key-'.padEnd(48, 'p') };
const ADMIN = { email: 'root@rentlog.test', password: 'admin-password-123' };
const TTL = 900;
const SESSION_MAX_AGE = 600;
const ATTACKER_KEY = 'an-attacker-key-'.padEnd(48, 'x');

const clock = new TestClock(new Date().toISOString());
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      JWT_KEYS: `${CURRENT.kid}:${CURRENT.secret},${PREVIOUS.kid}:${PREVIOUS.secret}`,
      ACCESS_TOKEN_TTL_SECONDS: String(TTL),
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      SESSION_MAX_AGE_SECONDS: String(SESSION_MAX_AGE),
      REFRESH_GRACE_SECONDS: '10',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    { clock },
  );
});
afterAll(() => t.close());

let n = 0;
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(token) });

interface Pair {
  accessToken: string;
  refreshToken: string;
}

async function signUp(password = 'correct horse battery') {
  const email = `tok${++n}-${Date.now()}@example.com`;
  const res = await post('/v1/auth/register', { email, password, name: 'Tess Token' });
  expect(res.statusCode).toBe(201);
  return { email, password, userId: res.json().userId as string };
}

async function login(email: string, password: string, agent = 'jest'): Promise<Pair> {
  const res = await post('/v1/auth/login', { email, password }, { 'user-agent': agent });
  expect(res.statusCode).toBe(200);
  return res.json();
}

type Claims = Record<string, unknown>;
const decoded = (token: string) =>
  jwt.decode(token, { complete: true }) as unknown as { header: Claims; payload: Claims };
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token as the server makes them, with some claims or header fields changed, signed with `key`. */
function forge(
  genuine: string,
  change: { payload?: Claims; header?: Claims; drop?: string[]; dropHeader?: string[] } = {},
  key: string = CURRENT.secret,
  algorithm: jwt.Algorithm = 'HS256',
): string {
  const { header, payload } = decoded(genuine);
  const nextPayload: Claims = { ...payload, ...change.payload };
  const nextHeader: Claims = { ...header, alg: algorithm, ...change.header };
  for (const name of change.drop ?? []) delete nextPayload[name];
  for (const name of change.dropHeader ?? []) delete nextHeader[name];
  return jwt.sign(nextPayload, key, {
    algorithm,
    noTimestamp: !('iat' in nextPayload),
    header: nextHeader as unknown as jwt.JwtHeader,
  });
}

describe('forged and altered access tokens', () => {
  let victim: Pair;
  let victimId: string;
  let other: Pair;
  beforeAll(async () => {
    const a = await signUp();
    victimId = a.userId;
    victim = await login(a.email, a.password);
    const b = await signUp();
    other = await login(b.email, b.password);
  });

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const cases: Array<[string, () => string]> = [
    ['signed with another key under the current kid', () => forge(victim.accessToken, {}, ATTACKER_KEY)],
    ['naming a kid the server does not have', () => forge(victim.accessToken, { header: { kid: 'k9' } })],
    ['without a kid', () => forge(victim.accessToken, { dropHeader: ['kid'] })],
    ['signed with the previous key but naming the current kid', () => forge(victim.accessToken, {}, PREVIOUS.secret)],
    ['typed JWT rather than at+jwt (an ID token, say)', () => forge(victim.accessToken, { header: { typ: 'JWT' } })],
    ['without a typ', () => forge(victim.accessToken, { dropHeader: ['typ'] })],
    [
      'unsigned (alg none)',
      () =>
        `${b64({ ...decoded(victim.accessToken).header, alg: 'none' })}.${b64(decoded(victim.accessToken).payload)}.`,
    ],
    ['signed HS512 with the right key', () => forge(victim.accessToken, {}, CURRENT.secret, 'HS512')],
    ['signed HS384 with the right key', () => forge(victim.accessToken, {}, CURRENT.secret, 'HS384')],
    [
      'signed RS256 (algorithm confusion)',
      () => forge(victim.accessToken, {}, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'RS256'),
    ],
    [
      'with its payload altered after signing (roles)',
      () => {
        const [h, , s] = victim.accessToken.split('.');
        return `${h}.${b64({ ...decoded(victim.accessToken).payload, roles: ['admin'] })}.${s}`;
      },
    ],
    ['with its signature cut off', () => victim.accessToken.split('.').slice(0, 2).join('.') + '.'],
    [
      'expired (beyond the 30 s skew)',
      () => forge(victim.accessToken, { payload: { iat: now() - TTL - 60, exp: now() - 31 } }),
    ],
    ['without exp', () => forge(victim.accessToken, { drop: ['exp'] })],
    ['without iat', () => forge(victim.accessToken, { drop: ['iat'] })],
    [
      'issued in the future',
      () => forge(victim.accessToken, { payload: { iat: now() + 3600, exp: now() + 3600 + TTL } }),
    ],
    [
      'living longer than an access token may',
      () => forge(victim.accessToken, { payload: { iat: now(), exp: now() + 30 * 86400 } }),
    ],
    ['for another audience', () => forge(victim.accessToken, { payload: { aud: 'another-api' } })],
    ['from another issuer', () => forge(victim.accessToken, { payload: { iss: 'mallory' } })],
    ['without a subject', () => forge(victim.accessToken, { drop: ['sub'] })],
    ['without a session id', () => forge(victim.accessToken, { drop: ['sid'] })],
    ['without a token id (jti)', () => forge(victim.accessToken, { drop: ['jti'] })],
    ['without a token version', () => forge(victim.accessToken, { drop: ['ver'] })],
    ['with a token version the user is not at', () => forge(victim.accessToken, { payload: { ver: 7 } })],
    [
      'naming a session the server never started',
      () => forge(victim.accessToken, { payload: { sid: '6f1c1d3e-0000-4000-8000-000000000000' } }),
    ],
    [
      'naming another user’s session',
      () => forge(victim.accessToken, { payload: { sid: decoded(other.accessToken).payload.sid } }),
    ],
    ['naming a user who does not exist', () => forge(victim.accessToken, { payload: { sub: 'no-such-user' } })],
    [
      'with a kid that is a path, signed with an empty key (kid injection)',
      () => {
        const head = b64({ alg: 'HS256', typ: 'at+jwt', kid: '../../../../dev/null' });
        const body = b64(decoded(victim.accessToken).payload);
        return `${head}.${body}.${createHmac('sha256', '').update(`${head}.${body}`).digest('base64url')}`;
      },
    ],
    ['with a kid that is SQL (kid injection)', () => forge(victim.accessToken, { header: { kid: "k2' OR '1'='1" } })],
    [
      'pointing at the attacker’s key set (jku)',
      () =>
        forge(victim.accessToken, { header: { jku: 'https://attacker.example/jwks.json', kid: 'evil' } }, ATTACKER_KEY),
    ],
    [
      'pointing at the attacker’s certificate (x5u)',
      () =>
        forge(victim.accessToken, { header: { x5u: 'https://attacker.example/cert.pem', kid: 'evil' } }, ATTACKER_KEY),
    ],
    [
      'carrying the attacker’s own key (jwk)',
      () =>
        forge(
          victim.accessToken,
          { header: { jwk: { kty: 'oct', k: Buffer.from(ATTACKER_KEY).toString('base64url') }, kid: 'evil' } },
          ATTACKER_KEY,
        ),
    ],
    ['not valid before an hour from now (nbf)', () => forge(victim.accessToken, { payload: { nbf: now() + 3600 } })],
    ['that is a refresh token', () => victim.refreshToken],
    ['not a JWT at all', () => 'not-a-token'],
  ];

  it.each(cases)('refuses one %s with 401 and a Bearer challenge, and appends nothing', async (_what, make) => {
    const token = make();
    expect((await me(token)).statusCode).toBe(401);
    const before = await t.infra.events.headPosition();
    const res = await post('/v1/auth/logout-all', {}, bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(await t.infra.events.headPosition()).toBe(before);
    // The genuine token was never signed out by any of it.
    expect((await me(victim.accessToken)).statusCode).toBe(200);
  });

  it('refuses malformed Authorization headers', async () => {
    for (const authorization of [
      'Basic YWRtaW46YWRtaW4=',
      'Bearer',
      `Bearer  ${victim.accessToken} x`,
      victim.accessToken,
    ]) {
      expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization } })).statusCode).toBe(
        401,
      );
    }
  });

  it('takes the roles and customer record from the user as it is now, not from the token', async () => {
    // Even a holder of the signing key cannot make a customer an admin: roles come from the access model.
    const escalated = forge(victim.accessToken, { payload: { roles: ['admin'], cid: 'someone-elses-customer' } });
    const who = await me(escalated);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ userId: victimId, roles: ['customer'] });
    expect(who.json().customerId).not.toBe('someone-elses-customer');
    const create = await post(
      '/v1/users',
      { email: 'x@example.com', password: 'a long password', name: 'X', roles: ['admin'] },
      bearer(escalated),
    );
    expect(create.statusCode).toBe(403);
  });

  it('accepts a token signed with the previous key while it is still listed (rotation), and signs with the current one', async () => {
    expect(decoded(victim.accessToken).header).toMatchObject({ alg: 'HS256', typ: 'at+jwt', kid: CURRENT.kid });
    const underOldKey = forge(victim.accessToken, { header: { kid: PREVIOUS.kid } }, PREVIOUS.secret);
    expect((await me(underOldKey)).statusCode).toBe(200);
  });
});

describe('revocation holds from the next request', () => {
  it('ends one session on logout: its access token stops working, the other session goes on', async () => {
    const u = await signUp();
    const phone = await login(u.email, u.password, 'phone');
    const laptop = await login(u.email, u.password, 'laptop');
    expect(
      (await post('/v1/auth/logout', { refreshToken: phone.refreshToken }, bearer(phone.accessToken))).statusCode,
    ).toBe(204);
    expect((await me(phone.accessToken)).statusCode).toBe(401);
    expect((await me(laptop.accessToken)).statusCode).toBe(200);
  });

  it('refuses a token it has verified and kept before, from the next request after logout-all, after disabling, and once it expires', async () => {
    const u = await signUp();
    const kept = await login(u.email, u.password, 'phone');
    for (let i = 0; i < 3; i++) expect((await me(kept.accessToken)).statusCode).toBe(200);
    expect((await post('/v1/auth/logout-all', {}, bearer(kept.accessToken))).statusCode).toBe(204);
    expect((await me(kept.accessToken)).statusCode).toBe(401);

    const adminToken = (await login(ADMIN.email, ADMIN.password)).accessToken;
    const other = await login(u.email, u.password, 'laptop');
    for (let i = 0; i < 3; i++) expect((await me(other.accessToken)).statusCode).toBe(200);
    const disabled = await post(`/v1/users/${u.userId}/disable`, { reason: 'kept-token test' }, bearer(adminToken));
    expect(disabled.statusCode).toBe(200);
    expect((await me(other.accessToken)).statusCode).toBe(401);
    expect((await post(`/v1/users/${u.userId}/enable`, {}, bearer(adminToken))).statusCode).toBe(200);

    const fresh = await login(u.email, u.password);
    expect((await me(fresh.accessToken)).statusCode).toBe(200);
    clock.advance((TTL + 31) * 1000); // its lifetime and the 30 s skew: the kept token expires on the clock
    expect((await me(fresh.accessToken)).statusCode).toBe(401);
  });

  it('ends every session on logout-all: access and refresh tokens alike; a new sign-in works', async () => {
    const u = await signUp();
    const phone = await login(u.email, u.password, 'phone');
    const laptop = await login(u.email, u.password, 'laptop');
    expect((await post('/v1/auth/logout-all', {}, bearer(laptop.accessToken))).statusCode).toBe(204);
    for (const pair of [phone, laptop]) {
      expect((await me(pair.accessToken)).statusCode).toBe(401);
      expect((await post('/v1/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(401);
    }
    const again = await login(u.email, u.password);
    expect((await me(again.accessToken)).statusCode).toBe(200);
  });

  it('ends the other sessions on a password change; the old password stops working', async () => {
    const u = await signUp();
    const phone = await login(u.email, u.password, 'phone');
    const laptop = await login(u.email, u.password, 'laptop');
    const wrong = await post(
      '/v1/auth/password',
      { currentPassword: 'not my password', newPassword: 'a brand new password' },
      bearer(laptop.accessToken),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'CURRENT_PASSWORD_INCORRECT' });
    expect((await me(phone.accessToken)).statusCode).toBe(200);

    const changed = await post(
      '/v1/auth/password',
      { currentPassword: u.password, newPassword: 'a brand new password' },
      bearer(laptop.accessToken),
    );
    expect(changed.statusCode).toBe(204);
    expect((await me(phone.accessToken)).statusCode).toBe(401);
    expect((await post('/v1/auth/refresh', { refreshToken: phone.refreshToken })).statusCode).toBe(401);
    expect((await me(laptop.accessToken)).statusCode).toBe(200);
    expect((await post('/v1/auth/login', { email: u.email, password: u.password })).statusCode).toBe(401);
    await login(u.email, 'a brand new password');
  });

  it('lets an admin disable a user (tokens stop at once, sign-in refused like a wrong password) and enable them again', async () => {
    const admin = await login(ADMIN.email, ADMIN.password);
    const u = await signUp();
    const pair = await login(u.email, u.password);
    const wrongPassword = await post('/v1/auth/login', { email: u.email, password: 'not the password at all' });

    const disabled = await post(
      `/v1/users/${u.userId}/disable`,
      { reason: 'chargeback fraud' },
      bearer(admin.accessToken),
    );
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toEqual({ position: expect.stringMatching(/^\d+$/) });
    expect((await me(pair.accessToken)).statusCode).toBe(401);
    expect((await post('/v1/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(401);
    const refused = await post('/v1/auth/login', { email: u.email, password: u.password });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toBe(wrongPassword.body);
    const [, event] = await t.infra.events.readStream(`user-${u.userId}`);
    expect(event).toMatchObject({ type: 'UserDisabled', data: { reason: 'chargeback fraud' } });
    expect(event.metadata.reason).toBeUndefined(); // personal free text: in the data (encrypted), never in metadata

    expect((await post(`/v1/users/${u.userId}/enable`, {}, bearer(admin.accessToken))).statusCode).toBe(200);
    expect((await me(pair.accessToken)).statusCode).toBe(401); // what was revoked stays revoked
    expect((await me((await login(u.email, u.password)).accessToken)).statusCode).toBe(200);
  });

  it('refuses a blank reason, an unknown user and a non-admin when disabling', async () => {
    const admin = await login(ADMIN.email, ADMIN.password);
    const u = await signUp();
    const self = await login(u.email, u.password);
    const blank = await post(`/v1/users/${u.userId}/disable`, { reason: '  ' }, bearer(admin.accessToken));
    expect(blank.statusCode).toBe(400);
    expect(
      (await post(`/v1/users/${randomUUID()}/disable`, { reason: 'x' }, bearer(admin.accessToken))).statusCode,
    ).toBe(404);
    expect((await post(`/v1/users/${u.userId}/disable`, { reason: 'x' }, bearer(self.accessToken))).statusCode).toBe(
      403,
    );
    expect((await me(self.accessToken)).statusCode).toBe(200);
  });

  it('lists the user’s own sessions and ends one by id; someone else’s session is not found', async () => {
    const u = await signUp();
    const phone = await login(u.email, u.password, 'Phone/1.0');
    const laptop = await login(u.email, u.password, 'Laptop/2.0');
    const list = await t.app.inject({ method: 'GET', url: '/v1/auth/sessions', headers: bearer(laptop.accessToken) });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toMatch(/no-store/);
    const items = list.json().items as Array<{ sessionId: string; userAgent: string; current: boolean }>;
    expect(items.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['Laptop/2.0', true],
      ['Phone/1.0', false],
    ]);
    const phoneSession = items.find((s) => !s.current)!.sessionId;

    const stranger = await login((await signUp()).email, 'correct horse battery');
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/v1/auth/sessions/${phoneSession}`,
      headers: bearer(stranger.accessToken),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect((await me(phone.accessToken)).statusCode).toBe(200);

    const ended = await t.app.inject({
      method: 'DELETE',
      url: `/v1/auth/sessions/${phoneSession}`,
      headers: bearer(laptop.accessToken),
    });
    expect(ended.statusCode).toBe(204);
    expect((await me(phone.accessToken)).statusCode).toBe(401);
    expect((await post('/v1/auth/refresh', { refreshToken: phone.refreshToken })).statusCode).toBe(401);
    const after = await t.app.inject({ method: 'GET', url: '/v1/auth/sessions', headers: bearer(laptop.accessToken) });
    expect(after.json().items).toHaveLength(1);
  });
});

describe('refresh tokens', () => {
  it('ends a session at its maximum age whatever its refresh token says', async () => {
    const u = await signUp();
    let pair = await login(u.email, u.password);
    clock.advance((SESSION_MAX_AGE / 2) * 1000);
    const res = await post('/v1/auth/refresh', { refreshToken: pair.refreshToken });
    expect(res.statusCode).toBe(200);
    pair = res.json();
    clock.advance((SESSION_MAX_AGE / 2 + 1) * 1000);
    const late = await post('/v1/auth/refresh', { refreshToken: pair.refreshToken });
    expect(late.statusCode).toBe(401);
    expect(late.json()).toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('answers a retry within the grace period with the same successor, and treats a replay after it as theft', async () => {
    const u = await signUp();
    const first = await login(u.email, u.password);
    const a = await post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    clock.advance(5_000);
    const b = await post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.json().refreshToken).toBe(a.json().refreshToken);
    expect((await me(b.json().accessToken)).statusCode).toBe(200);

    clock.advance(6_000);
    expect((await post('/v1/auth/refresh', { refreshToken: first.refreshToken })).statusCode).toBe(401);
    // Theft ends the session: the successor and its access tokens stop too.
    expect((await post('/v1/auth/refresh', { refreshToken: a.json().refreshToken })).statusCode).toBe(401);
    expect((await me(a.json().accessToken)).statusCode).toBe(401);
  });

  it('does not answer a grace retry once the successor was itself rotated', async () => {
    const u = await signUp();
    const first = await login(u.email, u.password);
    const second = (await post('/v1/auth/refresh', { refreshToken: first.refreshToken })).json();
    expect((await post('/v1/auth/refresh', { refreshToken: second.refreshToken })).statusCode).toBe(200);
    expect((await post('/v1/auth/refresh', { refreshToken: first.refreshToken })).statusCode).toBe(401);
  });
});
