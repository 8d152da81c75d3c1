/**
 * The floor for the HTTP benchmark's `http` step: the bare Fastify app of bare-routes.ts (the same
 * fastify and ajv settings as the real app, the same route schemas) with no I/O at all: POST validates
 * the body and answers, GET answers a constant document. (The `compare` step's limit routes,
 * server-limit.ts, are the same app with one durable append or one SELECT behind each route.) Prints
 * `{"port":N}` on stdout once listening; exits on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { bareApp, serve } from './bare-routes.js';

const constantProduct = {
  productId: '5b0f3f8e-8d2a-4c55-9a59-0c1b2f3e4d5a',
  sku: 'TOO-000042',
  name: 'Hammer drill #42',
  category: 'tools',
  dailyRate: { amount: 1500, currency: 'EUR' },
  deposit: { amount: 5000, currency: 'EUR' },
  stock: 3,
  bufferDays: 1,
  active: true,
  rentals: 0,
  createdAt: '2025-03-01T08:00:42.000Z',
  updatedAt: '2025-03-01T08:00:42.000Z',
};

let position = 0;
const app = bareApp({
  registerProduct: async () => ({ status: 201, body: { productId: randomUUID(), position: String(++position) } }),
  placeOrder: async () => ({ status: 501, body: {} }), // not measured by the `http` step
  getProduct: () => constantProduct,
  getOrder: () => null,
});

serve(app, 'server-bare', () => ({ posted: position })).catch((error: Error) => {
  process.stderr.write(`server-bare: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
