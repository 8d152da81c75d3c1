import {
  EXAMPLE_IDS,
  dateSchema as date,
  emptyBodySchema,
  exampleDate,
  exampleMoney,
  moneySchema,
  pageOf,
  pageQuery,
  positionSchema,
  problems,
  uuidParam,
  uuidSchema as uuid,
} from '../platform/common.schemas.js';

const idParams = uuidParam('id');
const status = {
  type: 'string',
  enum: ['reserved', 'confirmed', 'picked_up', 'returned', 'closed', 'cancelled', 'expired'],
} as const;
const statusAndPosition = {
  type: 'object',
  required: ['status', 'position'],
  properties: { status, position: positionSchema },
} as const;

const orderView = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    status,
    overdue: { type: 'boolean' },
    rentalStart: date,
    rentalEnd: date,
    rentalDays: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          productId: { type: 'string' },
          sku: { type: 'string' },
          name: { type: 'string' },
          quantity: { type: 'integer' },
          dailyRate: moneySchema,
          lineTotal: moneySchema,
        },
      },
    },
    subtotal: moneySchema,
    deposit: moneySchema,
    fees: moneySchema,
    feeDetails: { type: 'object', additionalProperties: true },
    total: moneySchema,
    paid: moneySchema,
    balance: { type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } } },
    holdExpiresAt: { type: 'string', format: 'date-time' },
    fulfilment: { type: 'object', additionalProperties: true },
    returnedOn: { type: ['string', 'null'] },
    payments: { type: 'array', items: { type: 'object', additionalProperties: true } },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        properties: { type: { type: 'string' }, at: { type: 'string' }, actor: { type: 'string' } },
      },
    },
    placedAt: { type: 'string' },
  },
} as const;

export const placeOrderSchema = {
  tags: ['orders'],
  summary: 'Place an order: holds the units until holdExpiresAt',
  body: {
    type: 'object',
    required: ['rentalStart', 'rentalEnd', 'items'],
    additionalProperties: false,
    properties: {
      customerId: uuid,
      rentalStart: date,
      rentalEnd: date,
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          required: ['productId', 'quantity'],
          additionalProperties: false,
          properties: { productId: uuid, quantity: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
      },
      fulfilment: {
        type: 'object',
        required: ['method'],
        additionalProperties: false,
        properties: {
          method: { type: 'string', enum: ['pickup', 'delivery'] },
          address: { type: 'string', minLength: 1, maxLength: 500 },
        },
        if: { properties: { method: { const: 'delivery' } } },
        then: { required: ['method', 'address'] },
      },
    },
    description:
      "The example's customerId and productId are placeholders: take real ones from GET /v1/customers and GET /v1/products (an unknown customer is a 404 CUSTOMER_NOT_FOUND). A customer may leave customerId out: it orders for itself. Not enough units is a 409 UNITS_UNAVAILABLE listing every short day; an unknown or retired product is listed there too.",
    examples: [
      {
        customerId: EXAMPLE_IDS.customer,
        rentalStart: exampleDate(7),
        rentalEnd: exampleDate(10),
        items: [{ productId: EXAMPLE_IDS.product, quantity: 1 }],
        fulfilment: { method: 'pickup' },
      },
    ],
  },
  response: {
    201: {
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        status,
        rentalDays: { type: 'integer' },
        subtotal: moneySchema,
        deposit: moneySchema,
        total: moneySchema,
        holdExpiresAt: { type: 'string' },
        position: positionSchema,
      },
    },
    ...problems(400, 404, 409, 422),
  },
} as const;

const command = (summary: string, body: object = emptyBodySchema, ok: object = statusAndPosition) =>
  ({
    tags: ['orders'],
    summary,
    params: idParams,
    body,
    response: { 200: ok, ...problems(400, 404, 409, 412, 422) },
  }) as const;

export const confirmOrderSchema = command('Confirm: the held units become firm (the deposit must be covered)');
export const pickUpOrderSchema = command('Hand the units over');
export const closeOrderSchema = command('Close a returned order with a zero balance');
export const extendOrderSchema = command(
  'Extend the rental end (the added days must be free)',
  {
    type: 'object',
    required: ['rentalEnd'],
    additionalProperties: false,
    properties: { rentalEnd: date },
    examples: [{ rentalEnd: exampleDate(12) }],
  },
  { type: 'object', properties: { status, rentalEnd: date, total: moneySchema, position: positionSchema } },
);
export const cancelOrderSchema = command(
  'Cancel (free until 48 h before the start, then a fee)',
  {
    type: 'object',
    required: ['reason'],
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
    examples: [{ reason: 'The event moved to next year' }],
  },
  { type: 'object', properties: { status, cancellationFee: moneySchema, position: positionSchema } },
);
export const returnOrderSchema = command(
  'Take the units back: late fee and damages',
  {
    type: 'object',
    additionalProperties: false,
    properties: {
      returnedOn: date,
      damages: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          required: ['productId', 'description', 'charge'],
          additionalProperties: false,
          properties: {
            productId: uuid,
            description: { type: 'string', minLength: 1, maxLength: 1000 },
            charge: moneySchema,
            photoIds: {
              type: 'array',
              maxItems: 20,
              uniqueItems: true,
              items: uuid,
              description: 'Damage photos added to this order (POST /v1/orders/{id}/photos)',
            },
          },
        },
      },
    },
    description:
      "returnedOn defaults to today; a damage names a product of the order (the example's productId is a placeholder) and may name photos of this order (409 DAMAGE_PHOTO_UNKNOWN for any other).",
    examples: [
      { damages: [{ productId: EXAMPLE_IDS.product, description: 'Torn side panel', charge: exampleMoney(4500) }] },
    ],
  },
  {
    type: 'object',
    properties: {
      status,
      lateFee: moneySchema,
      damageCharges: moneySchema,
      balance: { type: 'object', additionalProperties: true },
      position: positionSchema,
    },
  },
);

export const getOrderSchema = {
  tags: ['orders'],
  summary: 'One order with totals, payments and timeline',
  params: idParams,
  response: { 200: orderView, ...problems(404, 503) },
} as const;

export const listOrdersSchema = {
  tags: ['orders'],
  summary: 'Orders (a customer sees its own)',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      customerId: uuid,
      status,
      productId: uuid,
      overdue: { type: 'boolean' },
      from: date,
      to: date,
      ...pageQuery,
    },
  },
  response: { 200: pageOf(orderView), ...problems(400, 503) },
} as const;

export const availabilitySchema = {
  tags: ['catalog'],
  summary: 'Units free per day (at most 366 days)',
  params: idParams,
  querystring: {
    type: 'object',
    required: ['from', 'to'],
    additionalProperties: false,
    properties: { from: date, to: date },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        productId: { type: 'string' },
        days: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              date: { type: 'string' },
              stock: { type: 'integer' },
              reserved: { type: 'integer' },
              available: { type: 'integer' },
            },
          },
        },
      },
    },
    ...problems(400, 404, 503),
  },
} as const;
