import { pageOf, pageQuery, positionSchema, problems, uuidParam } from '../platform/common.schemas.js';
import { emailSchema, personNameSchema } from '../identity/identity.schemas.js';

const customerView = {
  type: 'object',
  properties: {
    customerId: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    phone: { type: ['string', 'null'] },
    address: { type: ['string', 'null'] },
    userId: { type: ['string', 'null'] },
    preferences: {
      type: 'object',
      properties: { reminders: { type: 'boolean' }, language: { type: ['string', 'null'], enum: ['en', 'de', null] } },
    },
    orders: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    erased: { type: 'boolean', description: 'Set once the customer was erased: no personal field is left' },
    erasedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const registerCustomerSchema = {
  tags: ['customers'],
  summary: 'Register a customer',
  body: {
    type: 'object',
    required: ['name', 'email'],
    additionalProperties: false,
    properties: {
      name: personNameSchema,
      email: emailSchema,
      phone: { type: 'string', maxLength: 40, pattern: '^\\+?[0-9 ()./-]{3,40}$' },
      address: { type: 'string', maxLength: 500 },
    },
    description: 'One customer per email (409 CUSTOMER_ALREADY_REGISTERED).',
    examples: [
      {
        name: 'Party Hire Partners Ltd',
        email: 'events@partyhire.example',
        phone: '+44 20 7946 0018',
        address: '12 Chapel Street, London',
      },
    ],
  },
  response: {
    201: {
      type: 'object',
      required: ['customerId', 'position'],
      properties: { customerId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 409, 415, 422),
  },
} as const;

export const getCustomerSchema = {
  tags: ['customers'],
  summary: 'One customer (ETag: its stream revision)',
  params: uuidParam('id'),
  response: { 200: customerView, ...problems(400, 404, 503) },
} as const;

export const listCustomersSchema = {
  tags: ['customers'],
  summary: 'Find customers by whole email or by the words of their name (blind index), oldest first',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { q: { type: 'string', maxLength: 100 }, ...pageQuery },
  },
  response: { 200: pageOf(customerView), ...problems(400, 503) },
} as const;

export const updateCustomerSchema = {
  tags: ['customers'],
  summary: 'Change a customer: name, phone, address, and its preferences (reminders, the language of its mail)',
  description:
    'Only the fields given change; a null phone or address removes it. `preferences.reminders: false` stops reminders (pickup, return, hold running out); transactional mail (orders, payments, overdue notices, security) always goes. Accepts If-Match (412 when the record moved on).',
  params: uuidParam('id'),
  body: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: personNameSchema,
      phone: { type: ['string', 'null'], maxLength: 40, pattern: '^\\+?[0-9 ()./-]{3,40}$' },
      address: { type: ['string', 'null'], maxLength: 500 },
      preferences: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { reminders: { type: 'boolean' }, language: { type: 'string', enum: ['en', 'de'] } },
      },
    },
    examples: [{ phone: '+44 20 7946 0019', preferences: { reminders: false, language: 'de' } }],
  },
  response: {
    200: { type: 'object', required: ['position'], properties: { position: positionSchema } },
    ...problems(400, 404, 412, 415),
  },
} as const;

export const eraseCustomerSchema = {
  tags: ['customers'],
  summary: 'Erase a customer (GDPR Art. 17): its keys are destroyed, its personal data reads as erased everywhere',
  description:
    'Appends CustomerErased (and UserErased for the account behind it) and destroys the data keys: every personal field of the customer, in events, read models, audit answers and rebuilds, is gone. Orders and payments keep amounts, dates and products. Erasing again changes nothing.',
  params: uuidParam('id'),
  response: {
    202: { type: 'object', required: ['position'], properties: { position: positionSchema } },
    ...problems(400, 404),
  },
} as const;

const anyList = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

export const exportCustomerSchema = {
  tags: ['customers'],
  summary: 'Everything held about a customer (GDPR Art. 15/20), as one JSON document',
  description:
    "The customer record, its user account and sessions, its orders and payments, its documents and its orders' damage photos (metadata, with `content`: the link to download each), and the full history of its own streams with every personal field decrypted (password and token hashes left out). A customer exports only its own record (any other is a 404).",
  params: uuidParam('id'),
  response: {
    200: {
      type: 'object',
      required: ['exportedAt', 'customer', 'orders', 'payments', 'documents', 'notifications', 'history'],
      properties: {
        exportedAt: { type: 'string', format: 'date-time' },
        customer: { type: 'object', additionalProperties: true },
        account: { type: ['object', 'null'], additionalProperties: true },
        sessions: anyList,
        orders: anyList,
        payments: anyList,
        documents: anyList,
        photos: anyList,
        notifications: anyList,
        history: anyList,
      },
    },
    ...problems(400, 404, 503),
  },
} as const;
