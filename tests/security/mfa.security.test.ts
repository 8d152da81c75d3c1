import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/**
 * TOTP multi-factor authentication through the API: enrolment with an otpauth URL and a QR code,
 * confirmation with 10 recovery codes, a code accepted once with one step of drift, recovery codes
 * single use, wrong codes counted as failed sign-ins, the secret never stored in the clear, and
 * MFA_REQUIRED_ROLES holding staff to enrolment until MFA is on. The codes are computed as an
 * authenticator app would, with otplib, at the server's (test) clock.
 */
const ADMIN = { email: 'root@rentlog.test', password: 'admin-password-123' };
const PASSWORD = 'violet kettle orbit 93';
const clock = new TestClock('2030-09-01T09:00:10.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      MFA_REQUIRED_ROLES: 'staff',
      SIGN_IN_LOCKOUT_THRESHOLD: '5',
      SIGN_IN_LOCKOUT_SECONDS: '60',
    },
    { clock },
  );
});
afterAll(() => t.close());
beforeEach(() => clock.advance(3_600_000)); // each test on a fresh stretch of time steps

const codeAt = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) + offsetSteps * 30 });
const inject = (
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let n = 0;
async function signUp(): Promise<{ email: string; userId: string }> {
  const email = `mfa${++n}-${Date.now()}@example.com`;
  const res = await inject('POST', '/v1/auth/register', { email, password: PASSWORD, name: 'Grace Hopper' });
  expect(res.statusCode).toBe(201);
  return { email, userId: res.json().userId };
}
const login = (email: string, extra: Record<string, string> = {}, password = PASSWORD) =>
  inject('POST', '/v1/auth/login', { email, password, ...extra });
async function accessToken(email: string, extra: Record<string, string> = {}, password = PASSWORD): Promise<string> {
  const res = await login(email, extra, password);
  expect(res.statusCode).toBe(200);
  return res.json().accessToken;
}

/** A user with MFA on: its email, secret, recovery codes and the access token it enrolled with. */
async function enrolled() {
  const { email, userId } = await signUp();
  const token = await accessToken(email);
  const start = await inject('POST', '/v1/auth/mfa/totp', {}, bearer(token));
  expect(start.statusCode).toBe(200);
  const { secret } = start.json();
  const confirm = await inject('POST', '/v1/auth/mfa/totp/confirm', { otp: await codeAt(secret) }, bearer(token));
  expect(confirm.statusCode).toBe(200);
  clock.advance(30_000); // the confirming code is spent: sign-ins use the next step's
  return { email, userId, secret, token, recoveryCodes: confirm.json().recoveryCodes as string[] };
}

describe('MFA enrolment', () => {
  it('answers a secret, its otpauth URL and a QR code; the first code turns MFA on with 10 recovery codes', async () => {
    const { email, userId } = await signUp();
    const token = await accessToken(email);
    const other = await accessToken(email); // another device's session
    const start = await inject('POST', '/v1/auth/mfa/totp', {}, bearer(token));
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUrl, qrCodeSvg } = start.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/Rentlog:${email}`);

    expect(url.searchParams.get('secret')).toBe(secret);
    expect(qrCodeSvg).toMatch(/^<svg /);
    expect((await inject('GET', '/v1/auth/me', undefined, bearer(token))).json().mfaEnabled).toBe(false);

    // A wrong code changes nothing; login still needs no code while MFA is pending.
    const wrong = await inject('POST', '/v1/auth/mfa/totp/confirm', { otp: '000000' }, bearer(token));
    expect({ status: wrong.statusCode, code: wrong.json().code }).toEqual({ status: 400, code: 'MFA_CODE_INVALID' });
    expect((await login(email)).statusCode).toBe(200);

    const confirm = await inject('POST', '/v1/auth/mfa/totp/confirm', { otp: await codeAt(secret) }, bearer(token));
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect((await inject('GET', '/v1/auth/me', undefined, bearer(token))).json().mfaEnabled).toBe(true);
    // The other session ended with the change; this one goes on.
    expect((await inject('GET', '/v1/auth/me', undefined, bearer(other))).statusCode).toBe(401);

    // Neither the secret nor a recovery code is stored in the clear: the auditor's view of the stream has neither.
    const audit = await inject('GET', `/v1/audit/streams/user-${userId}`, undefined, t.authAs(['auditor']));
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('UserMfaEnabled');
    expect(audit.body).not.toContain(secret);
    for (const code of recoveryCodes) expect(audit.body).not.toContain(code);
    // ... nor do the files: the secret is encrypted under the user's data key (WAL files included).
    const files = readdirSync(t.config.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const file of files)
      expect([file.name, readFileSync(path.join(file.parentPath, file.name)).includes(secret)]).toEqual([
        file.name,
        false,
      ]);

    // Enrolling again while MFA is on is a conflict.
    const again = await inject('POST', '/v1/auth/mfa/totp', {}, bearer(token));
    expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 409, code: 'MFA_ALREADY_ENABLED' });
  });

  it('refuses a confirmation without an enrolment (409)', async () => {
    const { email } = await signUp();
    const res = await inject('POST', '/v1/auth/mfa/totp/confirm', { otp: '123456' }, bearer(await accessToken(email)));
    expect({ status: res.statusCode, code: res.json().code }).toEqual({
      status: 409,
      code: 'MFA_ENROLMENT_NOT_STARTED',
    });
  });
});

describe('signing in with MFA on', () => {
  it('asks for a code (401 MFA_REQUIRED), accepts it once, and allows one step of drift', async () => {
    const { email, secret } = await enrolled();
    const none = await login(email);
    expect({ status: none.statusCode, code: none.json().code }).toEqual({ status: 401, code: 'MFA_REQUIRED' });

    const code = await codeAt(secret);
    expect((await login(email, { otp: code })).statusCode).toBe(200);
    const replay = await login(email, { otp: code });
    expect({ status: replay.statusCode, code: replay.json().code }).toEqual({ status: 401, code: 'MFA_REQUIRED' });

    // The previous step's and the next step's codes work (a phone's clock a little off), two steps do not.
    clock.advance(90_000);
    expect((await login(email, { otp: await codeAt(secret, -1) })).statusCode).toBe(200);
    expect((await login(email, { otp: await codeAt(secret, 1) })).statusCode).toBe(200);
    expect((await login(email, { otp: await codeAt(secret, -2) })).json().code).toBe('MFA_REQUIRED');
    expect((await login(email, { otp: await codeAt(secret, 2) })).json().code).toBe('MFA_REQUIRED');
    // A right code with a wrong password is the wrong password's answer.
    clock.advance(90_000);
    const wrongPassword = await login(email, { otp: await codeAt(secret) }, 'not the password at all');
    expect(wrongPassword.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('accepts each recovery code once, in place of a code', async () => {
    const { email, recoveryCodes } = await enrolled();
    expect((await login(email, { recoveryCode: recoveryCodes[3].toUpperCase() })).statusCode).toBe(200);
    const again = await login(email, { recoveryCode: recoveryCodes[3] });
    expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 401, code: 'MFA_REQUIRED' });
    expect((await login(email, { recoveryCode: recoveryCodes[4] })).statusCode).toBe(200);
  });

  it('concurrent sign-ins with one code: exactly one gets in', async () => {
    const { email, secret } = await enrolled();
    const code = await codeAt(secret);
    const answers = await Promise.all(Array.from({ length: 6 }, () => login(email, { otp: code })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401]);
  });

  it('counts wrong codes as failed sign-ins: the email locks (429)', async () => {
    const { email, secret } = await enrolled();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(email, { otp: '000000' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await login(email, { otp: await codeAt(secret) });
    expect({ status: locked.statusCode, code: locked.json().code }).toEqual({ status: 429, code: 'SIGN_IN_LOCKED' });
  });
});

describe('turning MFA off', () => {
  it('needs the password and a code (or a recovery code); other sessions end', async () => {
    const { email, secret, token } = await enrolled();
    const other = await accessToken(email, { otp: await codeAt(secret) });
    clock.advance(30_000);
    const wrongPassword = await inject(
      'DELETE',
      '/v1/auth/mfa/totp',
      { password: 'not the password at all', otp: await codeAt(secret) },
      bearer(token),
    );
    expect(wrongPassword.json().code).toBe('CURRENT_PASSWORD_INCORRECT');
    const wrongCode = await inject('DELETE', '/v1/auth/mfa/totp', { password: PASSWORD, otp: '000000' }, bearer(token));
    expect(wrongCode.json().code).toBe('MFA_CODE_INVALID');
    const noCode = await inject('DELETE', '/v1/auth/mfa/totp', { password: PASSWORD }, bearer(token));
    expect(noCode.json().code).toBe('VALIDATION_FAILED');

    const off = await inject(
      'DELETE',
      '/v1/auth/mfa/totp',
      { password: PASSWORD, otp: await codeAt(secret) },
      bearer(token),
    );
    expect(off.statusCode).toBe(204);
    expect((await inject('GET', '/v1/auth/me', undefined, bearer(token))).json().mfaEnabled).toBe(false);
    expect((await inject('GET', '/v1/auth/me', undefined, bearer(other))).statusCode).toBe(401);
    expect((await login(email)).statusCode).toBe(200);
    const twice = await inject('DELETE', '/v1/auth/mfa/totp', { password: PASSWORD, otp: '123456' }, bearer(token));
    expect({ status: twice.statusCode, code: twice.json().code }).toEqual({ status: 409, code: 'MFA_NOT_ENABLED' });
  });

  it('works with a recovery code when the device is lost', async () => {
    const { token, recoveryCodes } = await enrolled();
    const off = await inject(
      'DELETE',
      '/v1/auth/mfa/totp',
      { password: PASSWORD, recoveryCode: recoveryCodes[0] },
      bearer(token),
    );
    expect(off.statusCode).toBe(204);
  });
});

describe('MFA_REQUIRED_ROLES', () => {
  it('holds a staff user to enrolment (403 MFA_ENROLMENT_REQUIRED) until MFA is on', async () => {
    const admin = await accessToken(ADMIN.email, {}, ADMIN.password); // admins are not in MFA_REQUIRED_ROLES here
    const email = `clerk${Date.now()}@example.com`;
    const created = await inject(
      'POST',
      '/v1/users',
      { email, password: PASSWORD, name: 'Counter Clerk', roles: ['staff'] },
      bearer(admin),
    );
    expect(created.statusCode).toBe(201);
    const token = await accessToken(email);
    const refused = await inject('GET', '/v1/customers', undefined, bearer(token));
    expect({ status: refused.statusCode, code: refused.json().code }).toEqual({
      status: 403,
      code: 'MFA_ENROLMENT_REQUIRED',
    });
    expect((await inject('GET', '/v1/auth/me', undefined, bearer(token))).statusCode).toBe(200);
    const start = await inject('POST', '/v1/auth/mfa/totp', {}, bearer(token));
    const confirm = await inject(
      'POST',
      '/v1/auth/mfa/totp/confirm',
      { otp: await codeAt(start.json().secret) },
      bearer(token),
    );
    expect(confirm.statusCode).toBe(200);
    expect((await inject('GET', '/v1/customers', undefined, bearer(token))).statusCode).toBe(200);
  });
});
