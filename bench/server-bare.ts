/**
 * The floor for the HTTP benchmark: a bare Fastify app (the same fastify and ajv settings as the real
 * app) with the same route schemas. POST validates the body and answers without I/O; GET answers a
 * constant document. Prints `{"port":N}` on stdout once listening; exits on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify from 'fastify';
import { getProductSchema, registerProductSchema } from '../api/http/product/products.schemas.js';

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

async function main(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  // As api/http/create-app.ts: strict bodies, coerced text parts.
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv({ removeAdditional: false, coerceTypes, useDefaults: true, allErrors: true, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  const body = make(false);
  const text = make(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));

  let position = 0;
  app.post(
    '/v1/products',
    { schema: { body: registerProductSchema.body, response: registerProductSchema.response } },
    async (_request, reply) => {
      reply.code(201);
      return { productId: randomUUID(), position: String(++position) };
    },
  );
  app.get(
    '/v1/products/:id',
    { schema: { params: getProductSchema.params, response: getProductSchema.response } },
    async () => constantProduct,
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once('SIGTERM', () => {
    void app.close().then(() => {
      process.stdout.write(`${JSON.stringify({ stats: { posted: position } })}\n`);
      process.exit(0);
    });
  });
}

main().catch((error: Error) => {
  process.stderr.write(`server-bare: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
