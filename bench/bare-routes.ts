/**
 * The four routes of the HTTP comparison (POST /v1/orders, POST /v1/products, GET /v1/products/{id},
 * GET /v1/orders/{id}) on a bare Fastify app with Rentlog's own route schemas and ajv settings (as
 * api/http/platform/create-app.ts: strict bodies, coerced text parts, formats). The limit server
 * (server-limit.ts) and the Emmett peer (emmett/server-emmett.ts) plug their storage in behind them, so
 * validation and response serialization cost the same in all three.
 */
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { getOrderSchema, placeOrderSchema } from '../api/http/order/orders.schemas.js';
import { getProductSchema, registerProductSchema } from '../api/http/product/products.schemas.js';

export interface Money {
  amount: number;
  currency: string;
}

export interface RegisterProductBody {
  sku: string;
  name: string;
  category: string;
  dailyRate: Money;
  deposit: Money;
  stock: number;
  bufferDays: number;
}

export interface PlaceOrderBody {
  customerId?: string;
  rentalStart: string;
  rentalEnd: string;
  items: Array<{ productId: string; quantity: number }>;
}

/** What a handler answers: a status and a body, or null for a 404 problem. */
export interface Handlers {
  registerProduct(body: RegisterProductBody): Promise<{ status: number; body: object }>;
  placeOrder(body: PlaceOrderBody): Promise<{ status: number; body: object }>;
  getProduct(id: string): Promise<object | null> | object | null;
  getOrder(id: string): Promise<object | null> | object | null;
}

const notFound = (reply: FastifyReply, what: string) =>
  reply
    .code(404)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: `${what} not found`, status: 404, code: `${what.toUpperCase()}_NOT_FOUND` });

export function bareApp(handlers: Handlers): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv({ removeAdditional: false, coerceTypes, useDefaults: true, allErrors: true, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  const body = make(false);
  const text = make(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));

  app.post(
    '/v1/products',
    { schema: { body: registerProductSchema.body, response: registerProductSchema.response } },
    async (request, reply) => {
      const r = await handlers.registerProduct(request.body as RegisterProductBody);
      return reply.code(r.status as 201).send(r.body);
    },
  );
  app.post(
    '/v1/orders',
    { schema: { body: placeOrderSchema.body, response: placeOrderSchema.response } },
    async (request, reply) => {
      const r = await handlers.placeOrder(request.body as PlaceOrderBody);
      return reply.code(r.status as 201).send(r.body);
    },
  );
  app.get(
    '/v1/products/:id',
    { schema: { params: getProductSchema.params, response: getProductSchema.response } },
    async (request, reply) => {
      const doc = await handlers.getProduct((request.params as { id: string }).id);
      return doc ? reply.send(doc) : notFound(reply, 'product');
    },
  );
  app.get(
    '/v1/orders/:id',
    { schema: { params: getOrderSchema.params, response: getOrderSchema.response } },
    async (request, reply) => {
      const doc = await handlers.getOrder((request.params as { id: string }).id);
      return doc ? reply.send(doc) : notFound(reply, 'order');
    },
  );
  return app;
}

/** Listens on a random port, prints `{"port":N}`, and on SIGTERM closes, prints `{"stats":...}` and exits. */
export async function serve(
  app: FastifyInstance,
  name: string,
  close: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => close())
      .then(
        (stats) => {
          process.stdout.write(`${JSON.stringify({ stats })}\n`);
          process.exit(0);
        },
        (error: Error) => {
          process.stderr.write(`${name}: ${error.stack ?? error.message}\n`);
          process.exit(1);
        },
      );
  });
}

const DAY = 86_400_000;

/** Whole days from rentalStart to rentalEnd, both included (as Rentlog counts them). */
export const rentalDays = (start: string, end: string): number =>
  Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY) + 1;

/** The product document a GET answers (the fields of Rentlog's products read model). */
export function productDocument(productId: string, body: RegisterProductBody, at: string) {
  return {
    productId,
    sku: body.sku,
    name: body.name,
    category: body.category,
    dailyRate: body.dailyRate,
    deposit: body.deposit,
    stock: body.stock,
    bufferDays: body.bufferDays ?? 0,
    active: true,
    rentals: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** The order document a GET answers (the fields of Rentlog's orders read model), its lines priced from the products. */
export function orderDocument(
  orderId: string,
  body: PlaceOrderBody,
  products: Array<{ productId: string; sku: string; name: string; dailyRate: Money; deposit: Money }>,
  at: string,
  holdExpiresAt: string,
) {
  const days = rentalDays(body.rentalStart, body.rentalEnd);
  const currency = products[0]?.dailyRate.currency ?? 'EUR';
  const items = body.items.map((item, i) => ({
    productId: item.productId,
    sku: products[i].sku,
    name: products[i].name,
    quantity: item.quantity,
    dailyRate: products[i].dailyRate,
    lineTotal: { amount: products[i].dailyRate.amount * item.quantity * days, currency },
  }));
  const subtotal = items.reduce((sum, line) => sum + line.lineTotal.amount, 0);
  const deposit = body.items.reduce((sum, item, i) => sum + products[i].deposit.amount * item.quantity, 0);
  return {
    orderId,
    customerId: body.customerId ?? '',
    status: 'reserved',
    overdue: false,
    rentalStart: body.rentalStart,
    rentalEnd: body.rentalEnd,
    rentalDays: days,
    items,
    subtotal: { amount: subtotal, currency },
    deposit: { amount: deposit, currency },
    fees: { amount: 0, currency },
    feeDetails: {},
    total: { amount: subtotal + deposit, currency },
    paid: { amount: 0, currency },
    balance: { amount: subtotal + deposit, currency },
    holdExpiresAt,
    fulfilment: { method: 'pickup' },
    returnedOn: null,
    payments: [],
    timeline: [{ type: 'OrderPlaced', at, actor: 'staff' }],
    placedAt: at,
  };
}

/** The 201 answer of POST /v1/orders, from the order document. */
export const placedAnswer = (doc: ReturnType<typeof orderDocument>, position: string) => ({
  orderId: doc.orderId,
  status: doc.status,
  rentalDays: doc.rentalDays,
  subtotal: doc.subtotal,
  deposit: doc.deposit,
  total: doc.total,
  holdExpiresAt: doc.holdExpiresAt,
  position,
});
