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
    orders: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
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
  summary: 'Find customers by name or email, sorted by name',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { q: { type: 'string', maxLength: 100 }, ...pageQuery },
  },
  response: { 200: pageOf(customerView), ...problems(400, 503) },
} as const;
