import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Item = {
  type: string;
  userId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  actor: { userId: string };
  detail: Record<string, unknown>;
};

describe('GET /v1/audit/security-events', () => {
  it('shows sign-ups with their roles, failed sign-ins and sign-ins from where, and exports, for auditors', async () => {
    const email = 'sec.events@example.com';
    const password = 'correct horse battery';
    const registered = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password, name: 'Sec Events' },
    });
    expect(registered.statusCode).toBe(201);
    const { userId } = registered.json();
    const headers = { 'user-agent': 'audit-test/1.0' };
    const failed = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'not the password at all' },
      headers,
    });
    expect(failed.statusCode).toBe(401);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
      headers,
    });
    expect(signedIn.statusCode).toBe(200);
    const exported = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events?type=UserRegistered',
      headers: { ...t.authAs(['auditor'], { userId: 'auditor-1' }), accept: 'application/x-ndjson' },
    });
    expect(exported.statusCode).toBe(200);

    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/audit/security-events?userId=${userId}`,
      headers: t.authAs(['auditor']),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Item[];
    expect(items.map((i) => i.type)).toEqual([
      'UserRegistered',
      'SignInFailed',
      'SignInFailuresCleared',
      'SessionStarted',
    ]);
    expect(items[0].detail).toEqual({ roles: ['customer'] });
    expect(items[1]).toMatchObject({ userId, ipAddress: '127.0.0.1', detail: { failures: 1 } });
    expect(items[3]).toMatchObject({ userId, ipAddress: '127.0.0.1', userAgent: 'audit-test/1.0' });
    expect(JSON.stringify(items)).not.toMatch(/\$argon2|secretHash/);

    const exports = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/audit/security-events?type=AuditExported',
        headers: t.authAs(['admin']),
      })
    ).json().items as Item[];
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({
      actor: { userId: 'auditor-1' },
      ipAddress: '127.0.0.1',
      detail: { format: 'ndjson', criteria: { type: 'UserRegistered' } },
    });
    const staff = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/security-events',
      headers: t.authAs(['staff']),
    });
    expect(staff.statusCode).toBe(403);
  });
});
