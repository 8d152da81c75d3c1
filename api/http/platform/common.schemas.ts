/** JSON schemas shared by routes. They validate requests and generate /openapi.json. */

export const moneySchema = {
  type: 'object',
  required: ['amount', 'currency'],
  additionalProperties: false,
  properties: {
    amount: { type: 'integer', minimum: 0, maximum: 1_000_000_000_00, description: 'Minor units (cents)' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217; the deployment has one currency' },
  },
} as const;

export const positionSchema = {
  type: 'string',
  pattern: '^[0-9]+$',
  description: 'Global log position of the last event appended (decimal)',
} as const;

export const uuidParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } },
  }) as const;

export const emptyBodySchema = { type: 'object', additionalProperties: false, properties: {} } as const;

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
    code: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export const pageOf = (item: object) =>
  ({
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  }) as const;

/** Response schemas for the documented error statuses of a route. */
export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, problemSchema]));
