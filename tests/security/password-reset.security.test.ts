import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';
import { inbox as waitForMails } from '../support/outbox.js';

/**
 * Password reset by mail (the embedded outbox folder): the same 202 for every email, a link that works once
 * and expires, a new password held to the policy, every session ended, a lockout lifted, and the
 * token never kept or logged.
 */
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';
const clock = new TestClock('2026-06-01T09:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    { PASSWORD_RESET_TTL_SECONDS: '3600', PASSWORD_RESET_URL: 'https://shop.example/reset' },
    { clock },
  );
});
afterAll(() => t.close());

let n = 0;
const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The reset mails to an address in the outbox folder, waiting for `count` of them (the worker sends them). */
const inbox = async (to: string, count = 1) =>
  (await waitForMails(t, to, count, 'password-reset')).filter((m) => m.template === 'password-reset');

async function signUp() {
  const email = `reset${++n}-${Date.now()}@example.com`;
  const res = await post('/v1/auth/register', { email, password: PASSWORD, name: 'Rita Reset' });
  expect(res.statusCode).toBe(201);
  return { email, userId: res.json().userId as string };
}
const login = (email: string, password: string) => post('/v1/auth/login', { email, password });

/** Asks for a reset and reads the token from the link in the mail. */
async function resetToken(email: string): Promise<string> {
  const before = (await inbox(email, 0)).length;
  expect((await post('/v1/auth/password-reset', { email })).statusCode).toBe(202);
  const mails = await inbox(email, before + 1);
  expect(mails).toHaveLength(before + 1);
  const link = /https:\/\/shop\.example\/reset#token=(\S+)/.exec(mails.at(-1)!.text);
  expect(link).not.toBeNull();
  return link![1];
}
const confirm = (token: string, newPassword = NEW_PASSWORD) =>
  post('/v1/auth/password-reset/confirm', { token, newPassword });

describe('asking for a reset', () => {
  it('answers 202 with nothing for every email, and mails a link only to an account that may sign in', async () => {
    const { email } = await signUp();
    const known = await post('/v1/auth/password-reset', { email });
    const unknownEmail = `nobody${n}@example.com`;
    const unknown = await post('/v1/auth/password-reset', { email: unknownEmail });
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    const [mail] = await inbox(email);
    expect(await inbox(unknownEmail, 0)).toEqual([]);
    expect(mail).toMatchObject({ template: 'password-reset', subject: 'Reset your Rentlog password' });
    expect(mail.text).toMatch(/Hello Rita Reset,/);
    expect(mail.text).toMatch(/works once, for 60 minutes/);
  });

  it('refuses a malformed email with a 400 and mails nothing', async () => {
    const res = await post('/v1/auth/password-reset', { email: 'not-an-email' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('using the link', () => {
  it('sets the new password, ends every session, and leaves a trail without the token', async () => {
    const { email, userId } = await signUp();
    const phone = (await login(email, PASSWORD)).json();
    const laptop = (await login(email, PASSWORD)).json();
    const token = await resetToken(email);

    const done = await confirm(token);
    expect(done.statusCode).toBe(204);
    for (const pair of [phone, laptop]) {
      expect(
        (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(pair.accessToken) })).statusCode,
      ).toBe(401);
      expect((await post('/v1/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(401);
    }
    expect((await login(email, PASSWORD)).statusCode).toBe(401);
    expect((await login(email, NEW_PASSWORD)).statusCode).toBe(200);

    const [resetId, secret] = token.split('.');
    const reset = await t.infra.events.readStream(`passwordreset-${resetId}`);
    expect(reset.map((e) => e.type)).toEqual(['PasswordResetRequested', 'PasswordResetCompleted']);
    expect(reset[0].data).toMatchObject({ userId, secretHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const user = await t.infra.events.readStream(`user-${userId}`);
    expect(user.slice(1).map((e) => [e.type, (e.data as { via?: string }).via])).toEqual([
      ['UserPasswordChanged', 'reset'],
      ['UserSignedOutEverywhere', undefined],
    ]);
    const everything = JSON.stringify([...reset, ...user].map((e) => e.data)) + JSON.stringify(t.logs());
    expect(everything).not.toContain(secret);
  });

  it('works once: the same link again is refused', async () => {
    const { email } = await signUp();
    const token = await resetToken(email);
    expect((await confirm(token)).statusCode).toBe(204);
    const again = await confirm(token, 'yet another passphrase');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'PASSWORD_RESET_TOKEN_INVALID' });
    expect((await login(email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('lets one of two concurrent uses of a link win', async () => {
    const { email } = await signUp();
    const token = await resetToken(email);
    const answers = await Promise.all([
      confirm(token, 'first concurrent passphrase'),
      confirm(token, 'second concurrent passphrase'),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 400]);
  });

  it('expires', async () => {
    const { email } = await signUp();
    const token = await resetToken(email);
    clock.advance(3601_000);
    expect((await confirm(token)).json()).toMatchObject({ status: 400, code: 'PASSWORD_RESET_TOKEN_INVALID' });
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
  });

  it('is spent by a password change made after it was asked for', async () => {
    const { email } = await signUp();
    const token = await resetToken(email);
    clock.advance(1000);
    const pair = (await login(email, PASSWORD)).json();
    const changed = await post(
      '/v1/auth/password',
      { currentPassword: PASSWORD, newPassword: 'changed in between' },
      bearer(pair.accessToken),
    );
    expect(changed.statusCode).toBe(204);
    expect((await confirm(token)).json()).toMatchObject({ code: 'PASSWORD_RESET_TOKEN_INVALID' });
  });

  it.each([
    ['a wrong secret', (token: string) => `${token.split('.')[0]}.${'A'.repeat(43)}`],
    ['an unknown reset', (token: string) => `6f1c1d3e-0000-4000-8000-000000000000.${token.split('.')[1]}`],
    ['no token shape at all', () => 'nonsense'],
  ])('refuses %s and changes nothing', async (_what, alter) => {
    const { email } = await signUp();
    const token = await resetToken(email);
    const before = await t.infra.events.headPosition();
    const res = await confirm(alter(token));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PASSWORD_RESET_TOKEN_INVALID' });
    expect(await t.infra.events.headPosition()).toBe(before);
    expect((await confirm(token)).statusCode).toBe(204); // the real link still works
  });

  it('holds the new password to the policy and keeps the link usable after a refusal', async () => {
    const { email } = await signUp();
    const token = await resetToken(email);
    const weak = await confirm(token, 'Password1234!');
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'PASSWORD_POLICY', errors: [{ field: 'newPassword' }] });
    expect((await confirm(token)).statusCode).toBe(204);
  });

  it('lifts a sign-in lockout', async () => {
    const { email } = await signUp();
    for (let i = 0; i < 5; i++) await login(email, 'not the password at all');
    expect((await login(email, PASSWORD)).statusCode).toBe(429);
    expect((await confirm(await resetToken(email))).statusCode).toBe(204);
    expect((await login(email, NEW_PASSWORD)).statusCode).toBe(200);
  });
});
