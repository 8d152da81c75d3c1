import { BLIND_INDEX, type BlindIndex } from '../../application/ports/blind-index.port.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Throttling and lockout of password sign-ins, through the API: consecutive failures lock an email for
 * a growing time, known or not, with the same answers; at the NIST ceiling only an admin unlocks it; a
 * client address with too many failures is throttled; every failure, lockout and unlock is an event.
 */
const ADMIN = { email: 'root@rentlog.test', password: 'admin-password-123' };
const PASSWORD = 'correct horse battery';
const clock = new TestClock('2026-06-01T09:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      TRUST_PROXY: 'true',
      SIGN_IN_LOCKOUT_THRESHOLD: '5',
      SIGN_IN_LOCKOUT_SECONDS: '60',
      SIGN_IN_LOCKOUT_MAX_SECONDS: '900',
      SIGN_IN_MAX_FAILURES: '100',
      SIGN_IN_ADDRESS_FAILURES: '30',
      SIGN_IN_ADDRESS_WINDOW_SECONDS: '900',
    },
    { clock },
  );
});
afterAll(() => t.close());

let n = 0;
/** Each test signs in from its own address, so that only the test about addresses meets that limit. */
let address = '';
beforeEach(() => {
  address = `198.51.100.${++n}`;
});
const login = (email: string, password: string, from = address) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    headers: { 'x-forwarded-for': from },
  });

async function signUp(): Promise<{ email: string; userId: string }> {
  const email = `lock${n}-${Date.now()}@example.com`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email, password: PASSWORD, name: 'Lou Lock' },
  });
  expect(res.statusCode).toBe(201);
  return { email, userId: res.json().userId };
}
const unknownEmail = () => `nobody${n}-${Date.now()}@example.com`;
const guardStream = (email: string) => `signin-${t.app.get<BlindIndex>(BLIND_INDEX).of('user-email', email)}`;
const guardEvents = async (email: string) => t.infra.events.readStream(guardStream(email));

async function fail(email: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await login(email, 'not the password at all')).statusCode);
  return statuses;
}

describe('lockout per email', () => {
  it('locks an email after 5 consecutive failures, refusing even the right password, with Retry-After', async () => {
    const { email } = await signUp();
    expect(await fail(email, 5)).toEqual([401, 401, 401, 401, 401]);
    const locked = await login(email, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locked.json()).toMatchObject({ status: 429, code: 'SIGN_IN_LOCKED' });
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.json().accessToken).toBeUndefined();

    clock.advance(61_000);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
  });

  it('answers an unknown email exactly as a known one, failure for failure and lock for lock', async () => {
    const { email } = await signUp();
    const unknown = unknownEmail();
    for (let i = 0; i < 6; i++) {
      const known = await login(email, 'not the password at all');
      const other = await login(unknown, 'not the password at all');
      expect(other.statusCode).toBe(known.statusCode);
      expect(other.body).toBe(known.body);
      expect(other.headers['retry-after']).toBe(known.headers['retry-after']);
    }
    expect((await login(unknown, 'not the password at all')).statusCode).toBe(429);
  });

  it('doubles the lockout with each further failure, up to the longest', async () => {
    const { email } = await signUp();
    await fail(email, 5);
    const waits: string[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = await login(email, 'not the password at all');
      expect(refused.statusCode).toBe(429);
      waits.push(refused.headers['retry-after'] as string);
      clock.advance(Number(refused.headers['retry-after']) * 1000);
      expect((await login(email, 'not the password at all')).statusCode).toBe(401); // counted: the lock grows
    }
    expect(waits).toEqual(['60', '120', '240', '480', '900', '900']);
  });

  it('forgets the failures after a sign-in that works', async () => {
    const { email, userId } = await signUp();
    await fail(email, 4);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
    expect(await fail(email, 4)).toEqual([401, 401, 401, 401]);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
    const events = await guardEvents(email);
    expect(events.map((e) => e.type)).toEqual([
      ...Array(4).fill('SignInFailed'),
      'SignInFailuresCleared',
      ...Array(4).fill('SignInFailed'),
      'SignInFailuresCleared',
    ]);
    expect(events[4].data).toMatchObject({ userId, reason: 'signed_in' });
  });

  it('records every failure and lockout for the auditor, with the client address in the event and no email anywhere', async () => {
    const { email, userId } = await signUp();
    await fail(email, 5);
    const events = await guardEvents(email);
    expect(events.map((e) => e.type)).toEqual([...Array(5).fill('SignInFailed'), 'SignInLockedOut']);
    expect(events[0].data).toEqual({ userId, ipAddress: address, failures: 1, failedAt: expect.any(String) });
    expect(events[5].data).toMatchObject({ userId, ipAddress: address, failures: 5, lockedUntil: expect.any(String) });
    for (const e of events) {
      expect(JSON.stringify(e.metadata)).not.toContain(address);
      expect(JSON.stringify({ ...e, position: String(e.position), revision: String(e.revision) })).not.toContain(email);
      expect(e.streamId).not.toContain(email.split('@')[0]);
    }
    const unknown = unknownEmail();
    await fail(unknown, 1);
    expect((await guardEvents(unknown))[0].data).toMatchObject({ userId: null, failures: 1 });
  });

  it('counts concurrent failures once each and locks after exactly the threshold', async () => {
    const { email } = await signUp();
    const answers = await Promise.all(Array.from({ length: 20 }, () => login(email, 'not the password at all')));
    expect(answers.every((a) => a.statusCode === 401 || a.statusCode === 429)).toBe(true);
    const types = (await guardEvents(email)).map((e) => e.type);
    expect(types.filter((x) => x === 'SignInFailed')).toHaveLength(5);
    expect(types.filter((x) => x === 'SignInLockedOut')).toHaveLength(1);
  });

  it('never allows more than 100 consecutive failures: then only an admin unlocks (enable), which is an event', async () => {
    const { email, userId } = await signUp();
    let failures = 0;
    for (let attempt = 0; attempt < 400 && failures < 101; attempt++) {
      const res = await login(email, 'not the password at all');
      if (res.statusCode === 401) failures++;
      else if (res.headers['retry-after']) clock.advance(Number(res.headers['retry-after']) * 1000);
      else break; // locked with no end in sight
    }
    expect(failures).toBe(100);
    const elsewhere = '192.0.2.1'; // an address with no failures: what answers is the email's lock
    const locked = await login(email, PASSWORD, elsewhere);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'SIGN_IN_LOCKED' });
    expect(locked.headers['retry-after']).toBeUndefined();
    clock.advance(7 * 86_400_000);
    expect((await login(email, PASSWORD, elsewhere)).statusCode).toBe(429);

    const admin = (await login(ADMIN.email, ADMIN.password, elsewhere)).json().accessToken as string;
    const unlocked = await t.app.inject({
      method: 'POST',
      url: `/v1/users/${userId}/enable`,
      payload: {},
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(unlocked.statusCode).toBe(200);
    const events = await guardEvents(email);
    expect(events.filter((e) => e.type === 'SignInFailed')).toHaveLength(100);
    expect(events.at(-1)).toMatchObject({ type: 'SignInFailuresCleared', data: { reason: 'unlocked' } });
    expect(events.at(-1)!.metadata.actor).toMatchObject({ role: 'admin' });
    expect((await login(email, PASSWORD, elsewhere)).statusCode).toBe(200);
  });
});

describe('throttling per client address', () => {
  it('throttles an address after 30 failures over any emails, while other addresses go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await login(`spray${i}-${Date.now()}@example.com`, 'Password123456')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    const throttled = await login(unknownEmail(), 'Password123456');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'SIGN_IN_THROTTLED' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(900);

    const { email } = await signUp();
    expect((await login(email, PASSWORD, '203.0.113.7')).statusCode).toBe(200);
    clock.advance(901_000);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
  });
});

describe('hashing work', () => {
  const verified = async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(/^rentlog_password_hashes_total\{outcome="verified"\} (\d+)$/m.exec(text)![1]);
  };

  it('costs one password verification for an unknown email as for a wrong password, and none once locked', async () => {
    const { email } = await signUp();
    const unknown = unknownEmail();
    let before = await verified();
    await login(email, 'not the password at all');
    expect((await verified()) - before).toBe(1);
    before = await verified();
    await login(unknown, 'not the password at all');
    expect((await verified()) - before).toBe(1);
    await fail(email, 4);
    await fail(unknown, 4);
    before = await verified();
    expect((await login(email, PASSWORD)).statusCode).toBe(429);
    expect((await login(unknown, PASSWORD)).statusCode).toBe(429);
    expect((await verified()) - before).toBe(0);
  });
});

describe('the bounded hashing pool', () => {
  let busy: TestApp;
  beforeAll(async () => {
    busy = await startTestApp({
      // About 100 ms a hash: the ten requests all reach the pool while the first still runs.
      ARGON2_MEMORY_KIB: '32768',
      ARGON2_TIME_COST: '3',

      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '2',
      TRUST_PROXY: 'true',
    });
  });
  afterAll(() => busy.close());

  it('refuses what neither runs nor fits in the queue with a 503 and Retry-After, and records nothing for it', async () => {
    const before = await busy.infra.events.headPosition();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        busy.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: `flood${i}@example.com`, password: 'not the password at all' },
          headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([401, 401, 401, 503, 503, 503, 503, 503, 503, 503]);
    const refused = answers.find((a) => a.statusCode === 503)!;
    expect(refused.json()).toMatchObject({ code: 'SERVICE_BUSY' });
    expect(refused.headers['retry-after']).toBe('1');
    const written = (await busy.infra.events.readAll({ after: before })).filter((e) => e.type === 'SignInFailed');
    expect(written).toHaveLength(3);
    const metrics = (await busy.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^rentlog_password_hashes_total\{outcome="refused"\} 7$/m);
    expect(metrics).toMatch(/^rentlog_password_hash_pool\{state="waiting"\} 0$/m);
  });
});
