import { ROLES } from '../../../application/ports/tokens.port.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../domain/identity/password-policy.js';
import { positionSchema, problems } from '../platform/common.schemas.js';

export const emailSchema = { type: 'string', format: 'email', maxLength: 254 } as const;
export const personNameSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;
const passwordSchema = { type: 'string', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH } as const;
const refreshTokenSchema = { type: 'string', minLength: 1, maxLength: 512 } as const;
const rolesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: ROLES.length,
  uniqueItems: true,
  items: { type: 'string', enum: [...ROLES] },
} as const;

const tokenPair = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'tokenType', 'expiresIn'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string', description: 'Opaque, single use: /v1/auth/refresh spends it' },
    tokenType: { type: 'string', enum: ['Bearer'] },
    expiresIn: { type: 'integer', description: 'Seconds the access token lives' },
  },
} as const;

const refreshBody = {
  type: 'object',
  required: ['refreshToken'],
  additionalProperties: false,
  properties: { refreshToken: refreshTokenSchema },
  description:
    "Put the refreshToken that /v1/auth/login (or the last refresh) answered; the example's is a placeholder, refused with 401 INVALID_REFRESH_TOKEN.",
  examples: [{ refreshToken: 'paste-the-refreshToken-of-your-login-here' }],
} as const;

export const registerSchema = {
  tags: ['identity'],
  summary: 'Sign up as a customer',
  body: {
    type: 'object',
    required: ['email', 'password', 'name'],
    additionalProperties: false,
    properties: { email: emailSchema, password: passwordSchema, name: personNameSchema },
    description: `Passwords have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; an email registers once (409 EMAIL_TAKEN).`,
    examples: [{ email: 'katherine@example.com', password: 'correct-horse-battery', name: 'Katherine Johnson' }],
  },
  response: {
    201: {
      type: 'object',
      required: ['userId', 'customerId', 'position'],
      properties: { userId: { type: 'string' }, customerId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 409, 415, 422),
  },
} as const;

export const loginSchema = {
  tags: ['identity'],
  summary: 'Sign in: an access token and a refresh token',
  body: {
    type: 'object',
    required: ['email', 'password'],
    additionalProperties: false,
    properties: {
      email: emailSchema,
      // Any length: the policy applies when a password is set, not when it is checked.
      password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH },
      otp: { type: 'string', pattern: '^[0-9]{6,8}$', description: 'One-time code (reserved for MFA)' },
    },
    description: 'The example is a customer of the demo shop (npm run seed).',
    examples: [{ email: 'ada@example.com', password: 'demo-password-123' }],
  },
  response: { 200: tokenPair, ...problems(400, 401, 415, 422) },
} as const;

export const refreshSchema = {
  tags: ['identity'],
  summary: 'Rotate: spend the refresh token for new tokens',
  body: refreshBody,
  response: { 200: tokenPair, ...problems(400, 401, 415, 422) },
} as const;

export const logoutSchema = {
  tags: ['identity'],
  summary: 'Sign out: revoke the refresh token and its whole family',
  body: refreshBody,
  response: { 204: { type: 'null', description: 'Signed out' }, ...problems(400, 401, 415) },
} as const;

export const meSchema = {
  tags: ['identity'],
  summary: 'Who the access token belongs to',
  response: {
    200: {
      type: 'object',
      required: ['userId', 'email', 'name', 'roles'],
      properties: {
        userId: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        roles: { type: 'array', items: { type: 'string' } },
        customerId: { type: 'string' },
      },
    },
    ...problems(401, 404),
  },
} as const;

export const createUserSchema = {
  tags: ['identity'],
  summary: 'Create a user (admin)',
  body: {
    type: 'object',
    required: ['email', 'password', 'name', 'roles'],
    additionalProperties: false,
    properties: { email: emailSchema, password: passwordSchema, name: personNameSchema, roles: rolesSchema },
    examples: [{ email: 'clerk@example.com', password: 'clerk-password-123', name: 'Counter Clerk', roles: ['staff'] }],
  },
  response: {
    201: {
      type: 'object',
      required: ['userId', 'position'],
      properties: { userId: { type: 'string' }, customerId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 409, 415, 422),
  },
} as const;
