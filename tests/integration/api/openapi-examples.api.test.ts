/**
 * Every request example in /openapi.json (what Swagger UI's "Try it out" sends) is sent, as documented,
 * to the real app, by a caller with the roles the route needs, on the state the route needs (a
 * reserved order to confirm, a captured payment to refund, ...). It gets the route's documented success,
 * or the refusal its requestBody description names (a placeholder refresh token). The product and
 * customer the examples refer to (EXAMPLE_IDS) are set up under exactly those ids.
 */
import type { LightMyRequestResponse } from 'fastify';
import { errorCatalog } from '../../../api/http/platform/error-catalog.js';
import { EXAMPLE_IDS } from '../../../api/http/platform/common.schemas.js';
import type { Role } from '../../../application/ports/tokens.port.js';
import { customerStream, type CustomerEvent } from '../../../domain/customer/customer.events.js';
import { signWebhook } from '../../../infrastructure/payments/webhook-signature.js';
import { eventually } from '../../support/eventually.js';
import { eur, newEvent, registered } from '../../support/fixtures.js';
import { WEBHOOK_SECRET } from '../../support/payment-fixtures.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

interface Operation {
  key: string;
  path: string;
  method: string;
  success: number;
  responses: string[];
  description: string;
  example: unknown;
}

interface Plan {
  /** Roles of the caller; none: anonymous. */
  as: Role[];
  /** Path parameters: the state the route acts on, set up anew for each example. */
  params?: () => Promise<Record<string, string>>;
  /** Headers that depend on the exact body (a provider's signature). */
  headers?: (raw: string) => Record<string, string>;
  /** The code of the documented refusal, when the example cannot succeed as shipped. */
  refusal?: string;
  /** A real user signed in (routes that act on the caller's own account), instead of `as`. */
  signedIn?: { password: string };
}

let t: TestApp;
let s: ReturnType<typeof shop>;
let operations: Operation[];

const today = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApp({ PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_URL: 'http://127.0.0.1:9' });
  s = shop(t);
  // What the examples refer to, under the examples' own ids: a product (daily rate 25.00, deposit 50.00) and a customer.
  await t.infra.events.append(
    `product-${EXAMPLE_IDS.product}`,
    [
      newEvent(
        registered(EXAMPLE_IDS.product, 'Bouncy castle', { dailyRate: eur(2500), deposit: eur(5000), stock: 50 }),
      ),
    ],
    'no_stream',
  );
  const customer: CustomerEvent = {
    type: 'CustomerRegistered',
    data: {
      customerId: EXAMPLE_IDS.customer,
      name: 'Example Customer',
      email: 'example.customer@example.com',
      phone: null,
      address: null,
      userId: null,
      registeredAt: new Date().toISOString(),
    },
  };
  await t.infra.events.append(customerStream(EXAMPLE_IDS.customer), [newEvent(customer)], 'no_stream');

  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  operations = Object.entries(doc.paths as Record<string, Record<string, Record<string, never>>>).flatMap(
    ([path, ops]) =>
      Object.entries(ops)
        // Uploads take multipart/form-data (a file): "Try it out" builds that form, there is no example to send.
        .filter(
          ([, op]) => (op.requestBody as { content?: object } | undefined)?.content?.['application/json' as never],
        )
        .map(([method, op]) => {
          const body = (op.requestBody as { description?: string; content: Record<string, { example?: unknown }> })
            .content['application/json'];
          const responses = Object.keys(op.responses as object);
          return {
            key: `${method.toUpperCase()} ${path}`,
            path,
            method: method.toUpperCase(),
            success: Number(responses.find((r) => r.startsWith('2'))),
            responses,
            description: (op.requestBody as { description?: string }).description ?? '',
            example: body.example,
          };
        }),
  );
});
afterAll(() => t.close());

// --- the state routes act on, through the API ---------------------------------------------------

const staff = () => t.authAs(['staff']);
const ok = (res: LightMyRequestResponse, status: number, what: string) => {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json();
};
async function reservedOrder(): Promise<string> {
  const res = await s.post('/v1/orders', {
    customerId: EXAMPLE_IDS.customer,
    rentalStart: today(),
    rentalEnd: today(2),
    items: [{ productId: EXAMPLE_IDS.product, quantity: 1 }],
  });
  return ok(res, 201, 'order').orderId;
}
async function pay(orderId: string, amount = 5000): Promise<string> {
  const res = await s.post(`/v1/orders/${orderId}/payments`, {
    amount: eur(amount),
    purpose: 'deposit',
    paymentMethod: 'pm_card_ok',
  });
  return ok(res, 201, 'payment').paymentId;
}
const capture = async (paymentId: string) => ok(await s.post(`/v1/payments/${paymentId}/capture`, {}), 200, 'capture');
async function confirmedOrder(): Promise<{ orderId: string; paymentId: string }> {
  const orderId = await reservedOrder();
  const paymentId = await pay(orderId);
  ok(await s.post(`/v1/orders/${orderId}/confirm`, {}), 200, 'confirm');
  return { orderId, paymentId };
}
async function pickedUpOrder(): Promise<{ orderId: string; paymentId: string }> {
  const order = await confirmedOrder();
  ok(await s.post(`/v1/orders/${order.orderId}/pickup`, {}), 200, 'pickup');
  return order;
}
/** Returned on time with its deposit captured: 2 days x 25.00 = 50.00, the deposit's amount, so nothing is owed. */
async function settledReturnedOrder(): Promise<string> {
  const { orderId, paymentId } = await pickedUpOrder();
  await capture(paymentId);
  const returned = ok(await s.post(`/v1/orders/${orderId}/return`, {}), 200, 'return');
  await eventually(
    () => s.get(`/v1/orders/${orderId}`, { ...staff(), 'x-min-position': returned.position }),
    (res) => res.statusCode === 200 && res.json().balance.amount === 0,
  );
  return orderId;
}

const id = (make: () => Promise<string>) => async () => ({ id: await make() });

let users = 0;
/** A customer who signed up through the API: its email and user id. */
async function signedUp(password = 'correct horse battery'): Promise<{ email: string; userId: string }> {
  const email = `example-user-${++users}@example.com`;
  const res = await s.post('/v1/auth/register', { email, password, name: 'Example User' }, {});
  return { email, userId: ok(res, 201, 'register').userId };
}
const newUser = async () => (await signedUp()).userId;
async function signIn(password: string): Promise<Record<string, string>> {
  const { email } = await signedUp(password);
  const res = await s.post('/v1/auth/login', { email, password }, {});
  return { authorization: `Bearer ${ok(res, 200, 'login').accessToken}` };
}

const plans: Record<string, Plan> = {
  'POST /v1/auth/register': { as: [] },
  'POST /v1/auth/login': {
    as: [],
    params: async () => {
      // The example signs in as a customer of the demo shop (npm run seed).
      const body = { email: 'ada@example.com', password: 'demo-password-123', name: 'Ada Lovelace' };
      ok(await s.post('/v1/auth/register', body, {}), 201, 'register');
      return {};
    },
  },
  'POST /v1/auth/refresh': { as: [], refusal: 'INVALID_REFRESH_TOKEN' },
  'POST /v1/auth/logout': { as: ['customer'], refusal: 'INVALID_REFRESH_TOKEN' },
  'POST /v1/users': { as: ['admin'] },
  'POST /v1/users/{id}/disable': { as: ['admin'], params: id(newUser) },
  'POST /v1/users/{id}/enable': { as: ['admin'], params: id(newUser) },
  'POST /v1/api-keys': { as: ['admin'] },
  'POST /v1/auth/mfa/totp': { as: [], signedIn: { password: 'correct horse battery' } },
  'POST /v1/auth/mfa/totp/confirm': {
    as: [],
    signedIn: { password: 'correct horse battery' },
    refusal: 'MFA_ENROLMENT_NOT_STARTED',
  },
  'DELETE /v1/auth/mfa/totp': { as: [], signedIn: { password: 'correct-horse-battery' }, refusal: 'MFA_NOT_ENABLED' },

  'POST /v1/auth/logout-all': { as: [], signedIn: { password: 'correct horse battery' } },
  // The example's current password is this user's.
  'POST /v1/auth/password': { as: [], signedIn: { password: 'correct-horse-battery' } },
  'POST /v1/auth/password-reset': { as: [] },
  'POST /v1/auth/password-reset/confirm': { as: [], refusal: 'PASSWORD_RESET_TOKEN_INVALID' },
  'POST /v1/products': { as: ['staff'] },
  'POST /v1/products/{id}/reprice': { as: ['staff'], params: id(() => s.product()) },
  'POST /v1/products/{id}/stock': { as: ['staff'], params: id(() => s.product()) },
  'POST /v1/products/{id}/retire': { as: ['staff'], params: id(() => s.product()) },
  'POST /v1/customers': { as: ['staff'] },
  'PATCH /v1/customers/{id}': { as: ['staff'], params: id(() => s.customer()) },
  'POST /v1/orders': { as: ['staff'] },
  'POST /v1/orders/{id}/confirm': {
    as: ['staff'],
    params: id(async () => {
      const orderId = await reservedOrder();
      await pay(orderId);
      return orderId;
    }),
  },
  'POST /v1/orders/{id}/extend': { as: ['staff'], params: id(reservedOrder) },
  'POST /v1/orders/{id}/cancel': { as: ['staff'], params: id(reservedOrder) },
  'POST /v1/orders/{id}/pickup': { as: ['staff'], params: id(async () => (await confirmedOrder()).orderId) },
  'POST /v1/orders/{id}/return': { as: ['staff'], params: id(async () => (await pickedUpOrder()).orderId) },
  'POST /v1/orders/{id}/close': { as: ['staff'], params: id(settledReturnedOrder) },
  'POST /v1/orders/{id}/payments': { as: ['staff'], params: id(reservedOrder) },
  'POST /v1/payments/{id}/capture': { as: ['staff'], params: id(async () => pay(await reservedOrder())) },
  'POST /v1/payments/{id}/refund': {
    as: ['staff'],
    params: id(async () => {
      const { paymentId } = await confirmedOrder();
      await capture(paymentId);
      return paymentId;
    }),
  },
  'POST /v1/projections/{name}/rebuild': { as: ['analyst'], params: async () => ({ name: 'reports' }) },
  'POST /v1/payments/webhooks/{provider}': {
    as: [],
    params: async () => ({ provider: 'sandbox' }),
    // As the provider sends it: signed over the exact body.
    headers: (raw) => ({ 'rentlog-signature': signWebhook(WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)) }),
  },
  'POST /v1/audit/checkpoints': { as: ['auditor'] },
};

async function send(op: Operation, plan: Plan): Promise<LightMyRequestResponse> {
  const params = (await plan.params?.()) ?? {};
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
  const raw = JSON.stringify(op.example);
  const auth = plan.signedIn ? await signIn(plan.signedIn.password) : plan.as.length > 0 ? t.authAs(plan.as) : {};
  return t.app.inject({
    method: op.method as 'POST',
    url,
    payload: raw,
    headers: {
      'content-type': 'application/json',
      ...auth,
      ...plan.headers?.(raw),
    },
  });
}

describe('the request examples of /openapi.json', () => {
  it('are there for every request body, and this test knows every route that has one', () => {
    expect(operations.filter((op) => op.example === undefined).map((op) => op.key)).toEqual([]);
    expect(operations.map((op) => op.key).sort()).toEqual(Object.keys(plans).sort());
  });

  it('document every upload route as multipart/form-data with a binary `file` part, and only those', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const multipartOps = Object.entries(doc.paths as Record<string, Record<string, Record<string, never>>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops)
          .filter(
            ([, op]) => (op.requestBody as { content?: object } | undefined)?.content?.['multipart/form-data' as never],
          )
          .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
    );
    expect(multipartOps.map(([key]) => key).sort()).toEqual([
      'POST /v1/customers/{id}/documents',
      'POST /v1/orders/{id}/photos',
    ]);
    for (const [, op] of multipartOps) {
      const schema = (op.requestBody as { content: Record<string, { schema: unknown }> }).content['multipart/form-data']
        .schema as { required: string[]; properties: Record<string, { format?: string }> };
      expect(schema.required).toContain('file');
      expect(schema.properties.file.format).toBe('binary');
      expect(Object.keys(op.responses as object)).toEqual(expect.arrayContaining(['201', '400', '413', '415']));
    }
  });

  it("hold no placeholder: dates and the currency are the deployment's", () => {
    const text = JSON.stringify(operations.map((op) => op.example));
    expect(text).not.toContain('{{');
    expect(text).toContain(`"currency":"${t.config.currency}"`);
  });

  it.each(Object.keys(plans))('%s: its example gets the documented answer', async (key) => {
    const op = operations.find((o) => o.key === key)!;
    const plan = plans[key];
    const res = await send(op, plan);
    if (plan.refusal === undefined) {
      expect(res.statusCode === op.success ? 'as documented' : `${res.statusCode} ${res.body}`).toBe('as documented');
    } else {
      const status = errorCatalog[plan.refusal as keyof typeof errorCatalog].status;
      expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code: plan.refusal });
      expect(op.responses).toContain(String(status));
      expect(op.description).toContain(`${status} ${plan.refusal}`);
    }
  });

  it('POST /v1/payments/webhooks/{provider}: unsigned, as "Try it out" sends it, is the documented 400', async () => {
    const op = operations.find((o) => o.key === 'POST /v1/payments/webhooks/{provider}')!;
    const res = await send(op, { as: [], params: async () => ({ provider: 'sandbox' }) });
    expect(res.json()).toMatchObject({ status: 400, code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(op.description).toContain('400 WEBHOOK_SIGNATURE_INVALID');
  });
});
