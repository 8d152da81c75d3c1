import {
  emptyBodySchema,
  exampleMoney,
  moneySchema,
  pageOf,
  pageQuery,
  positionSchema,
  problems,
  uuidParam,
} from '../platform/common.schemas.js';

const productView = {
  type: 'object',
  properties: {
    productId: { type: 'string' },
    sku: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    dailyRate: moneySchema,
    deposit: moneySchema,
    stock: { type: 'integer' },
    bufferDays: { type: 'integer' },
    active: { type: 'boolean' },
    rentals: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const idParams = uuidParam('id');
const positionOnly = { type: 'object', required: ['position'], properties: { position: positionSchema } } as const;

export const registerProductSchema = {
  tags: ['catalog'],
  summary: 'Register a product',
  body: {
    type: 'object',
    required: ['sku', 'name', 'category', 'dailyRate', 'deposit', 'stock'],
    additionalProperties: false,
    properties: {
      sku: { type: 'string', minLength: 1, maxLength: 64, pattern: '\\S' },
      name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
      category: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
      dailyRate: moneySchema,
      deposit: moneySchema,
      stock: { type: 'integer', minimum: 0, maximum: 1_000_000 },
      bufferDays: { type: 'integer', minimum: 0, maximum: 30, default: 0 },
    },
    description: 'Amounts in minor units of the deployment currency; the SKU is unique (409 SKU_TAKEN).',
    examples: [
      {
        sku: 'CASTLE-L',
        name: 'Bouncy castle, large',
        category: 'events',
        dailyRate: exampleMoney(12900),
        deposit: exampleMoney(30000),
        stock: 2,
        bufferDays: 1,
      },
    ],
  },
  response: {
    201: {
      type: 'object',
      required: ['productId', 'position'],
      properties: { productId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 409, 415, 422),
  },
} as const;

export const repriceProductSchema = {
  tags: ['catalog'],
  summary: 'Change the daily rate (and deposit)',
  params: idParams,
  body: {
    type: 'object',
    required: ['dailyRate'],
    additionalProperties: false,
    properties: { dailyRate: moneySchema, deposit: moneySchema },
    examples: [{ dailyRate: exampleMoney(13900), deposit: exampleMoney(35000) }],
  },
  response: { 200: positionOnly, ...problems(400, 404, 409, 412, 422) },
} as const;

export const adjustStockSchema = {
  tags: ['catalog'],
  summary: 'Add or remove units',
  params: idParams,
  body: {
    type: 'object',
    required: ['delta', 'reason'],
    additionalProperties: false,
    properties: {
      delta: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } },
      reason: { type: 'string', minLength: 1, maxLength: 500 },
    },
    examples: [{ delta: 2, reason: 'Two more units delivered' }],
  },
  response: {
    200: {
      type: 'object',
      required: ['stock', 'position'],
      properties: { stock: { type: 'integer' }, position: positionSchema },
    },
    ...problems(400, 404, 409, 412, 422),
  },
} as const;

export const retireProductSchema = {
  tags: ['catalog'],
  summary: 'Retire a product (no new rentals)',
  params: idParams,
  body: emptyBodySchema,
  response: { 200: positionOnly, ...problems(400, 404, 409, 412, 422) },
} as const;

export const getProductSchema = {
  tags: ['catalog'],
  summary: 'One product (ETag: its stream revision)',
  params: idParams,
  response: { 200: productView, ...problems(404, 503) },
} as const;

export const listProductsSchema = {
  tags: ['catalog'],
  summary: 'Browse the catalog',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      category: { type: 'string', maxLength: 100 },
      q: { type: 'string', maxLength: 100 },
      active: { type: 'boolean' },
      sort: {
        type: 'string',
        enum: ['name', '-name', 'rentals', '-rentals', 'dailyRate', '-dailyRate'],
        default: 'name',
      },
      ...pageQuery,
    },
  },
  response: { 200: pageOf(productView), ...problems(400, 503) },
} as const;
