/** JSON schemas shared by routes. They validate requests and generate /openapi.json. */
import { HttpErrors } from './http.errors.js';

/*
 * Examples in /openapi.json (what Swagger UI's "Try it out" sends) are real requests. What depends on
 * the deployment is a placeholder that the document fills in when it is served (openapi.ts): a date
 * so many days from the server's today, and the deployment's currency.
 */

/** A date in an example: `days` from the server's today (YYYY-MM-DD), filled in when the document is served. */
export const exampleDate = (days: number): string => `{{today${days < 0 ? '-' : '+'}${Math.abs(days)}}}`;
/** The deployment's currency (CURRENCY), in an example. */
export const EXAMPLE_CURRENCY = '{{currency}}';
/** An amount of money in an example. */
export const exampleMoney = (amount: number) => ({ amount, currency: EXAMPLE_CURRENCY });
/**
 * Ids an example refers to. They name nothing in a new shop (take real ones from the lists), except
 * in the test that sends every example, which sets up a product, a customer and a payment with them.
 */
export const EXAMPLE_IDS = {
  product: '5f0c6e2a-1b7d-4c55-9a51-3c1f2a7b9e10',
  customer: '8d2b4f61-0c3e-4a7f-b2d9-6e5a1c9f3b24',
  payment: 'c3a91e07-5d4b-4f2a-8e6c-0b7d2f9a4e51',
} as const;

export const moneySchema = {
  type: 'object',
  required: ['amount', 'currency'],
  additionalProperties: false,
  properties: {
    amount: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000_000_00,
      description: 'Minor units (cents)',
      examples: [2500],
    },
    currency: {
      type: 'string',
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217; the deployment has one currency',
      examples: [EXAMPLE_CURRENCY],
    },
  },
} as const;

export const positionSchema = {
  type: 'string',
  pattern: '^[0-9]+$',
  description: 'Global log position of the last event appended (decimal)',
} as const;

export const uuidSchema = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } as const;

export const uuidParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: uuidSchema },
  }) as const;

/** A calendar date, `YYYY-MM-DD`. */
export const dateSchema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD',
  examples: [exampleDate(7)],
} as const;

export const emptyBodySchema = { type: 'object', additionalProperties: false, properties: {}, examples: [{}] } as const;

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  cursor: { type: 'string', maxLength: 2048 },
} as const;

export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable: one condition has one code on every route (docs/errors.md)' },
    instance: { type: 'string', description: 'The path of the request' },
    errors: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
  examples: [
    {
      type: '/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'The request body is not valid',
      code: HttpErrors.validationFailed,
      instance: '/v1/orders',
      errors: [{ field: 'rentalEnd', message: "must have required property 'rentalEnd'" }],
    },
  ],
} as const;

export const pageOf = (item: object) =>
  ({
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  }) as const;

/** Response schemas for the documented error statuses of a route. */
export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, problemSchema]));
