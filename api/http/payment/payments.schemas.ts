import {
  EXAMPLE_IDS,
  exampleMoney,
  moneySchema,
  pageOf,
  pageQuery,
  positionSchema,
  problems,
  uuidParam,
} from '../platform/common.schemas.js';

/** An amount to move: a positive integer of minor units. */
const positiveMoney = {
  ...moneySchema,
  properties: { ...moneySchema.properties, amount: { ...moneySchema.properties.amount, minimum: 1 } },
} as const;

const statuses = ['pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'failed'] as const;
const status = { type: 'string', enum: statuses } as const;

const paymentView = {
  type: 'object',
  properties: {
    paymentId: { type: 'string' },
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    amount: moneySchema,
    purpose: { type: 'string' },
    paymentMethod: { type: 'string' },
    status,
    authorized: moneySchema,
    captured: moneySchema,
    refunded: moneySchema,
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          amount: moneySchema,
          reason: { type: 'string' },
        },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const idParams = uuidParam('id');
const statusAndPosition = {
  type: 'object',
  required: ['status', 'position'],
  properties: { status, position: positionSchema },
} as const;

export const requestPaymentSchema = {
  tags: ['payments'],
  summary: 'Pay for an order (sandbox methods: pm_card_ok, pm_card_declined, pm_card_async)',
  params: idParams,
  body: {
    type: 'object',
    required: ['amount', 'purpose', 'paymentMethod'],
    additionalProperties: false,
    properties: {
      amount: positiveMoney,
      purpose: { type: 'string', enum: ['deposit', 'rental', 'fee'] },
      paymentMethod: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' },
    },
    description:
      "More than the open balance is a 409 PAYMENT_EXCEEDS_BALANCE. Sandbox methods: pm_card_ok authorizes, pm_card_declined fails, pm_card_async stays pending until the provider's webhook.",
    examples: [{ amount: exampleMoney(5000), purpose: 'deposit', paymentMethod: 'pm_card_ok' }],
  },
  response: {
    201: {
      type: 'object',
      required: ['paymentId', 'status', 'position'],
      properties: { paymentId: { type: 'string' }, status, position: positionSchema },
    },
    ...problems(400, 404, 409, 412, 415, 422),
  },
} as const;

export const capturePaymentSchema = {
  tags: ['payments'],
  summary: 'Capture (part of) an authorized payment; without amount, all that is left',
  params: idParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { amount: positiveMoney },
    description: 'Without amount, all that is left of the authorization is captured.',
    examples: [{}],
  },
  response: { 200: statusAndPosition, ...problems(400, 404, 409, 412, 422, 502, 503) },
} as const;

export const refundPaymentSchema = {
  tags: ['payments'],
  summary: 'Refund (part of) what was captured',
  params: idParams,
  body: {
    type: 'object',
    required: ['amount', 'reason'],
    additionalProperties: false,
    properties: { amount: positiveMoney, reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' } },
    examples: [{ amount: exampleMoney(2000), reason: 'Returned a day early' }],
  },
  response: {
    200: {
      type: 'object',
      required: ['status', 'refunded', 'position'],
      properties: { status, refunded: moneySchema, position: positionSchema },
    },
    ...problems(400, 404, 409, 412, 422, 502, 503),
  },
} as const;

/**
 * The provider's signed event. Unknown members are let through (providers add fields; the
 * signature, not the schema, is what makes the body trustworthy). For payment.captured and
 * payment.refunded, data.amount is the provider's running total for the payment.
 */
export const webhookSchema = {
  tags: ['payments'],
  summary: 'Payment provider webhook (Rentlog-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">)',
  params: {
    type: 'object',
    required: ['provider'],
    additionalProperties: false,
    properties: { provider: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' } },
  },
  body: {
    type: 'object',
    required: ['id', 'type', 'created', 'data'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 255 },
      type: { type: 'string', minLength: 1, maxLength: 100 },
      created: { type: 'integer', minimum: 0 },
      data: {
        type: 'object',
        required: ['paymentId', 'amount'],
        properties: {
          paymentId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' },
          amount: moneySchema,
          providerRef: { type: 'string', minLength: 1, maxLength: 255 },
          reason: { type: 'string', maxLength: 500 },
        },
      },
    },
    description:
      'Sent by the payment provider with Rentlog-Signature over the exact body; without a valid one the answer is 400 WEBHOOK_SIGNATURE_INVALID. An event for a payment this shop does not know is a 200 that changes nothing.',
    examples: [
      {
        id: 'evt_0001',
        type: 'payment.authorized',
        created: 1767225600,
        data: { paymentId: EXAMPLE_IDS.payment, amount: exampleMoney(5000), providerRef: 'sbx_auth_0001' },
      },
    ],
  },
  response: {
    200: {
      type: 'object',
      required: ['received', 'duplicate', 'applied', 'status'],
      properties: {
        received: { type: 'boolean' },
        duplicate: { type: 'boolean' },
        applied: { type: 'boolean' },
        status: { type: ['string', 'null'] },
      },
    },
    ...problems(400, 404, 409),
  },
} as const;

export const getPaymentSchema = {
  tags: ['payments'],
  summary: 'One payment with its history (ETag: its stream revision)',
  params: idParams,
  response: { 200: paymentView, ...problems(404, 503) },
} as const;

export const listPaymentsSchema = {
  tags: ['payments'],
  summary: 'Payments, newest first',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { orderId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' }, status, ...pageQuery },
  },
  response: { 200: pageOf(paymentView), ...problems(400, 503) },
} as const;
