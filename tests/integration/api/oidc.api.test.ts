/**
 * OIDC sign-in against a real OpenID provider (oidc-provider on an ephemeral port), driven over HTTP
 * as a browser would: start -> the provider's authorization endpoint -> its login interaction -> the
 * redirect back to the callback -> a token pair that works.
 */
import { createHash } from 'node:crypto';
import { startOpenIdProvider, type TestOpenIdProvider } from '../../support/oidc-provider.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const PUBLIC_URL = 'https://rentlog.example';
const CALLBACK = `${PUBLIC_URL}/v1/auth/oidc/corp/callback`;
let idp: TestOpenIdProvider;
let t: TestApp;
beforeAll(async () => {
  idp = await startOpenIdProvider(CALLBACK);
  t = await startTestApp({
    PUBLIC_URL,
    OIDC_PROVIDERS: 'corp,down',
    OIDC_CORP_ISSUER: idp.issuer,
    OIDC_CORP_CLIENT_ID: idp.clientId,
    OIDC_CORP_CLIENT_SECRET: idp.clientSecret,
    // Nothing listens there: a provider that cannot be reached.
    OIDC_DOWN_ISSUER: 'http://127.0.0.1:9',
    OIDC_DOWN_CLIENT_ID: 'x',
    OIDC_DOWN_CLIENT_SECRET: 'y',
  });
});
afterAll(async () => {
  await t.close();
  await idp.close();
});

let n = 0;
/** A person at the provider with a fresh subject and email. */
function person(overrides: { email?: string; email_verified?: boolean; name?: string } = {}) {
  const id = `${++n}-${Date.now()}`;
  const account = {
    sub: `sub-${id}`,
    email: `person${id}@corp.example`,
    email_verified: true,
    name: `Pat ${id}`,
    ...overrides,
  };
  idp.account(account);
  return account;
}
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function start(provider = 'corp'): Promise<URL> {
  const res = await get(`/v1/auth/oidc/${provider}/start`);
  expect(res.statusCode).toBe(302);
  return new URL(String(res.headers.location));
}
/** Through the provider and back: the callback URL it redirects to. */
const atProvider = async (sub: string) => idp.signIn((await start()).href, sub);
const callback = (back: URL) => get(`${back.pathname}${back.search}`);
const signIn = async (sub: string) => callback(await atProvider(sub));
const me = async (accessToken: string) => (await get('/v1/auth/me', bearer(accessToken))).json();
const userEvents = async (userId: string) => (await t.infra.events.readStream(`user-${userId}`)).map((e) => e.type);
const lastPosition = async () => (await t.infra.events.readAll({ direction: 'backwards', maxCount: 1 }))[0]?.position;
const states = () => t.infra.store.collection('sys_oidc_states');

async function register(email: string, password = 'correct horse battery') {
  const res = await post('/v1/auth/register', { email, password, name: 'Ann Lee' });
  expect(res.statusCode).toBe(201);
  return { email, password, userId: (res.json() as { userId: string }).userId };
}

describe('OIDC sign-in: starting', () => {
  it('redirects to the provider: authorization code flow, PKCE S256, state and nonce, the registered callback', async () => {
    const res = await get('/v1/auth/oidc/corp/start');
    expect(res.statusCode).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    const url = new URL(String(res.headers.location));
    expect(url.origin).toBe(idp.issuer);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: CALLBACK,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(q.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    // Kept on the server under a hash of the state, with the verifier the challenge was made from.
    const kept = await states().findById(`pending:${createHash('sha256').update(q.state).digest('hex')}`);
    expect(kept).toMatchObject({ provider: 'corp', nonce: q.nonce, codeVerifier: expect.any(String) });
    expect(createHash('sha256').update(String(kept!.codeVerifier)).digest('base64url')).toBe(q.code_challenge);
    expect(JSON.stringify(kept)).not.toContain(q.state);
    // Every start is a request of its own.
    const other = Object.fromEntries((await start()).searchParams);
    for (const key of ['state', 'nonce', 'code_challenge']) expect(other[key]).not.toBe(q[key]);
  });

  it('answers 404 OIDC_PROVIDER_NOT_FOUND for a provider that is not configured, on both routes', async () => {
    for (const url of ['/v1/auth/oidc/nope/start', '/v1/auth/oidc/nope/callback?code=x&state=y']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, code: 'OIDC_PROVIDER_NOT_FOUND' });
    }
  });

  it('answers 502 OIDC_PROVIDER_UNAVAILABLE when the provider cannot be reached, and keeps no state', async () => {
    const before = await states().count();
    const res = await get('/v1/auth/oidc/down/start');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'OIDC_PROVIDER_UNAVAILABLE' });
    expect(await states().count()).toBe(before);
  });
});

describe('OIDC sign-in: who signs in', () => {
  it('signs up a new person as a customer without a password, linked to the identity', async () => {
    const p = person();
    const res = await signIn(p.sub);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const pair = res.json();
    expect(pair).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const who = await me(pair.accessToken);
    expect(who).toEqual({
      userId: expect.any(String),
      email: p.email,
      name: p.name,
      roles: ['customer'],
      customerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      mfaEnabled: false,
    });
    const events = await t.infra.events.readStream(`user-${who.userId}`);
    expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserExternalIdentityLinked']);
    expect(events[0].data).toMatchObject({ passwordHash: null });
    expect(events[1].data).toMatchObject({ userId: who.userId, provider: 'corp', subject: p.sub, via: 'sign_up' });
    // It has no password: password login refuses it like a wrong password.
    const login = await post('/v1/auth/login', { email: p.email, password: 'correct horse battery' });
    expect(login.statusCode).toBe(401);
    expect(login.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    // The refresh token works as any other.
    expect((await post('/v1/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(200);
  });

  it('signs the same identity in again as the same user, with a new session and nothing linked again', async () => {
    const p = person();
    const first = (await signIn(p.sub)).json();
    const userId = (await me(first.accessToken)).userId;
    const again = await signIn(p.sub);
    expect(again.statusCode).toBe(200);
    expect((await me(again.json().accessToken)).userId).toBe(userId);
    expect(again.json().refreshToken.split('.')[0]).not.toBe(first.refreshToken.split('.')[0]);
    expect(await userEvents(userId)).toEqual(['UserRegistered', 'UserExternalIdentityLinked']);
  });

  it('links an email the provider verified to the existing password user, whose password still works', async () => {
    const existing = await register(`ann${Date.now()}@shop.example`);
    const p = person({ email: existing.email.toUpperCase() });
    const res = await signIn(p.sub);
    expect(res.statusCode).toBe(200);
    expect((await me(res.json().accessToken)).userId).toBe(existing.userId);
    const events = await t.infra.events.readStream(`user-${existing.userId}`);
    expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserExternalIdentityLinked']);
    expect(events[1].data).toMatchObject({ provider: 'corp', subject: p.sub, via: 'verified_email' });
    expect(events[1].metadata.actor).toEqual({ userId: existing.userId, role: 'customer' });
    const login = await post('/v1/auth/login', { email: existing.email, password: existing.password });
    expect(login.statusCode).toBe(200);
  });

  it('does not link an email the provider has not verified (no account takeover), nor sign it up', async () => {
    const victim = await register(`victim${Date.now()}@shop.example`);
    const position = await lastPosition();
    for (const claims of [{ email_verified: false }, { email_verified: undefined }]) {
      const attacker = person({ email: victim.email, ...claims });
      const res = await signIn(attacker.sub);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'OIDC_EMAIL_NOT_VERIFIED' });
      expect(res.body).not.toContain('accessToken');
    }
    expect(await userEvents(victim.userId)).toEqual(['UserRegistered']);
    expect(await lastPosition()).toBe(position);
    // An unverified address nobody has yet is not taken either: its owner can still register it.
    const squatter = person({ email: `free${Date.now()}@shop.example`, email_verified: false });
    expect((await signIn(squatter.sub)).statusCode).toBe(403);
    expect(await lastPosition()).toBe(position);
    await register(squatter.email);
  });

  it('refuses a disabled user, linked or found by a verified email, with 401 INVALID_CREDENTIALS, linking nothing', async () => {
    const admin = t.authAs(['admin']);
    const p = person();
    const userId = (await me((await signIn(p.sub)).json().accessToken)).userId;
    expect((await post(`/v1/users/${userId}/disable`, { reason: 'fraud' }, admin)).statusCode).toBe(200);
    const refused = await signIn(p.sub);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    const existing = await register(`disabled${Date.now()}@shop.example`);
    expect((await post(`/v1/users/${existing.userId}/disable`, { reason: 'left' }, admin)).statusCode).toBe(200);
    const position = await lastPosition();
    const res = await signIn(person({ email: existing.email }).sub);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await userEvents(existing.userId)).toEqual(['UserRegistered', 'UserDisabled']);
    expect(await lastPosition()).toBe(position);
  });
});

describe('OIDC sign-in: the callback is used once, with its own code', () => {
  it('refuses a replayed callback (the state is spent) with 400 OIDC_STATE_INVALID', async () => {
    const back = await atProvider(person().sub);
    expect((await callback(back)).statusCode).toBe(200);
    const position = await lastPosition();
    const replay = await callback(back);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ status: 400, code: 'OIDC_STATE_INVALID' });
    expect(await lastPosition()).toBe(position);
  });

  it('lets one of two callbacks racing with the same state through', async () => {
    const back = await atProvider(person().sub);
    const answers = await Promise.all([callback(back), callback(back)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect(answers.find((r) => r.statusCode === 400)!.json()).toMatchObject({ code: 'OIDC_STATE_INVALID' });
  });

  it('refuses an unknown, tampered or missing state with 400, changing nothing: the real one still works', async () => {
    const back = await atProvider(person().sub);
    const count = await states().count();
    const position = await lastPosition();
    for (const state of ['made-up', `${back.searchParams.get('state')}x`, null]) {
      const forged = new URL(back);
      if (state === null) forged.searchParams.delete('state');
      else forged.searchParams.set('state', state);
      const res = await callback(forged);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'OIDC_STATE_INVALID' });
    }
    expect(await states().count()).toBe(count);
    expect(await lastPosition()).toBe(position);
    expect((await callback(back)).statusCode).toBe(200);
  });

  it('refuses a spent code, and a code of another authorization request (its PKCE verifier), with 400 OIDC_CODE_INVALID', async () => {
    const sub = person().sub;
    const first = await atProvider(sub);
    expect((await callback(first)).statusCode).toBe(200);
    // A fresh, valid state with the code already exchanged.
    const state = (await start()).searchParams.get('state')!;
    const spent = new URL(first);
    spent.searchParams.set('state', state);
    const reused = await callback(spent);
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ code: 'OIDC_CODE_INVALID' });

    // An unused code, presented with another request's state: its challenge does not match that verifier.
    const a = await atProvider(sub);
    const otherState = (await start()).searchParams.get('state')!;
    const swapped = new URL(a);
    swapped.searchParams.set('state', otherState);
    const res = await callback(swapped);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'OIDC_CODE_INVALID' });
    // The state that request was made with is spent now too: a failed callback does not leave it open.
    expect((await callback(swapped)).json()).toMatchObject({ code: 'OIDC_STATE_INVALID' });
  });

  it("answers the provider's error (the person declined) with 400 OIDC_CODE_INVALID", async () => {
    const state = (await start()).searchParams.get('state')!;
    const res = await get(
      `/v1/auth/oidc/corp/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'OIDC_CODE_INVALID', detail: expect.stringContaining('access_denied') });
  });
});

describe('OIDC sign-in: personal data', () => {
  it('puts no email or name in stream ids, event metadata or logs', async () => {
    const p = person();
    const existing = await register(`kept${Date.now()}@shop.example`);
    expect((await signIn(p.sub)).statusCode).toBe(200);
    expect((await signIn(person({ email: existing.email }).sub)).statusCode).toBe(200);
    const events = await t.infra.events.readAll();
    const secrets = [p.email, p.name, existing.email];
    for (const event of events) {
      for (const value of secrets) {
        expect(event.streamId).not.toContain(value);
        expect(JSON.stringify(event.metadata)).not.toContain(value);
      }
    }
    const logs = JSON.stringify(t.logs());
    for (const value of [...secrets, p.sub]) expect(logs).not.toContain(value);
    expect(events.some((e) => e.streamId.startsWith('externalidentityclaim-'))).toBe(true);
  });
});
