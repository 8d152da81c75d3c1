/**
 * The role x route matrix of API.md: for every route and every role, the access check lets the
 * caller through (any answer but 401/403) or stops it (401 anonymous, 403 signed in). Bodies and
 * ids are placeholders: a caller let through may well get 400 or 404, which is the point.
 */
import type { Role } from '../../../application/ports/tokens.port.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

type Who = Role | 'anonymous';
const ALL: Who[] = ['anonymous', 'customer', 'staff', 'admin', 'analyst', 'auditor'];
const id = '00000000-0000-4000-8000-000000000000';
const anyone: Who[] = ALL;
const signedIn: Who[] = ['customer', 'staff', 'admin', 'analyst', 'auditor'];
const staff: Who[] = ['staff', 'admin'];
const withCustomer: Who[] = ['customer', 'staff', 'admin'];

const routes: Array<[string, string, Who[]]> = [
  ['POST', '/v1/auth/register', anyone],
  ['POST', '/v1/auth/login', anyone],
  ['POST', '/v1/auth/refresh', anyone],
  ['POST', '/v1/auth/logout', signedIn],
  ['GET', '/v1/auth/me', signedIn],
  ['POST', '/v1/auth/logout-all', signedIn],
  ['POST', '/v1/auth/password', signedIn],
  ['GET', '/v1/auth/sessions', signedIn],
  ['POST', '/v1/auth/mfa/totp', signedIn],
  ['POST', '/v1/auth/mfa/totp/confirm', signedIn],
  ['DELETE', '/v1/auth/mfa/totp', signedIn],

  ['POST', '/v1/auth/password-reset', anyone],
  ['POST', '/v1/auth/password-reset/confirm', anyone],

  ['DELETE', `/v1/auth/sessions/${id}`, signedIn],
  ['GET', '/v1/auth/oidc/corp/start', anyone],
  ['GET', '/v1/auth/oidc/corp/callback?code=c&state=s', anyone],
  ['POST', '/v1/users', ['admin']],
  ['POST', `/v1/users/${id}/disable`, ['admin']],
  ['POST', `/v1/users/${id}/enable`, ['admin']],
  ['POST', '/v1/api-keys', ['admin']],
  ['GET', '/v1/api-keys', ['admin']],
  ['DELETE', `/v1/api-keys/${id}`, ['admin']],

  ['POST', '/v1/products', staff],
  ['POST', `/v1/products/${id}/reprice`, staff],
  ['POST', `/v1/products/${id}/stock`, staff],
  ['POST', `/v1/products/${id}/retire`, staff],
  ['GET', '/v1/products', anyone],
  ['GET', `/v1/products/${id}`, anyone],
  ['GET', `/v1/products/${id}/availability?from=2030-01-01&to=2030-01-02`, anyone],
  ['POST', '/v1/customers', staff],
  ['GET', '/v1/customers', staff],
  ['GET', `/v1/customers/${id}`, withCustomer],
  ['PATCH', `/v1/customers/${id}`, withCustomer],
  ['DELETE', `/v1/customers/${id}`, ['admin']],
  ['GET', `/v1/customers/${id}/export`, ['admin', 'customer']],
  ['POST', `/v1/customers/${id}/documents`, withCustomer],
  ['GET', `/v1/customers/${id}/documents`, withCustomer],
  ['GET', `/v1/documents/${id}/content`, withCustomer],
  ['POST', '/v1/orders', withCustomer],
  ['POST', `/v1/orders/${id}/confirm`, withCustomer],
  ['POST', `/v1/orders/${id}/extend`, withCustomer],
  ['POST', `/v1/orders/${id}/cancel`, withCustomer],
  ['POST', `/v1/orders/${id}/pickup`, staff],
  ['POST', `/v1/orders/${id}/return`, staff],
  ['POST', `/v1/orders/${id}/close`, staff],
  ['POST', `/v1/orders/${id}/photos`, staff],
  ['GET', `/v1/orders/${id}/photos/${id}`, withCustomer],
  ['GET', '/v1/orders', withCustomer],
  ['GET', `/v1/orders/${id}`, withCustomer],
  ['POST', `/v1/orders/${id}/payments`, withCustomer],
  ['POST', `/v1/payments/${id}/capture`, staff],
  ['POST', `/v1/payments/${id}/refund`, staff],
  ['POST', '/v1/payments/webhooks/sandbox', anyone],
  ['GET', `/v1/payments/${id}`, withCustomer],
  ['GET', '/v1/payments', staff],
  ['GET', '/v1/notifications', withCustomer],
  ['GET', `/v1/audit/streams/order-${id}`, ['auditor', 'admin']],
  ['GET', '/v1/audit/events', ['auditor', 'admin']],
  ['GET', '/v1/audit/verify', ['auditor', 'admin']],
  ['GET', '/v1/audit/security-events', ['auditor', 'admin']],
  ['POST', '/v1/audit/checkpoints', ['auditor', 'admin']],
  ['GET', `/v1/audit/orders/${id}/as-of?position=1`, ['auditor', 'admin']],
  ['GET', `/v1/audit/customers/${id}/as-of?position=1`, ['auditor', 'admin']],
  ['GET', `/v1/audit/products/${id}/as-of?position=1`, ['auditor', 'admin']],
  ['GET', `/v1/audit/payments/${id}/as-of?position=1`, ['auditor', 'admin']],
  ['GET', '/', anyone],
  ['GET', '/health/live', anyone],

  ['GET', '/health/ready', anyone],
  ['GET', '/v1/projections', ['analyst', 'admin']],

  ['POST', '/v1/projections/nothing/rebuild', ['analyst', 'admin']],
  ['GET', '/v1/projections/products/documents', ['analyst', 'admin']],
  ['GET', `/v1/projections/products/documents/${id}`, ['analyst', 'admin']],
  ['GET', '/v1/reports/daily', ['analyst', 'admin']],
  ['GET', '/v1/reports/products/top', ['analyst', 'admin']],
  ['GET', '/v1/reports/utilization', ['analyst', 'admin']],
  ['GET', '/v1/reports/snapshots', ['analyst', 'admin']],
  ['GET', '/v1/dashboard', ['staff', 'analyst', 'admin']],
  ['GET', '/v1/jobs', ['admin']],
  ['POST', '/v1/jobs/no-such-job/retry', ['admin']],
  ['GET', '/dashboard', anyone],
  ['GET', '/dashboard/assets/dashboard.js', anyone],
];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const cases = routes.flatMap(([method, url, allowed]) =>
  ALL.map((who) => [method, url, who, allowed.includes(who)] as const),
);

it('covers every operation the API documents', async () => {
  const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const missing: string[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`);
    for (const method of Object.keys(operations)) {
      const covered = routes.some(([m, url]) => m === method.toUpperCase() && pattern.test(url));
      if (!covered) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  expect(missing).toEqual([]);
});

it.each(cases)('%s %s as %s: allowed=%s', async (method, url, who, allowed) => {
  const headers = who === 'anonymous' ? {} : t.authAs([who], who === 'customer' ? { customerId: id } : {});
  const res = await t.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) });
  if (allowed) {
    expect([401, 403]).not.toContain(res.statusCode);
    expect(res.statusCode).not.toBe(500);
  } else {
    expect(res.statusCode).toBe(who === 'anonymous' ? 401 : 403);
  }
});
