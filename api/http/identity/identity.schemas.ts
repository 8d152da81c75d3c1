import { ROLES } from '../../../application/ports/tokens.port.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../domain/identity/password-policy.js';
import { API_KEY_ROLES } from '../../../domain/identity/api-key.decider.js';
import { emptyBodySchema, pageOf, pageQuery, positionSchema, problems, uuidParam } from '../platform/common.schemas.js';

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
    ...problems(400, 409, 415, 422, 503),
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
      otp: { type: 'string', pattern: '^[0-9]{6}$', description: 'The code of the authenticator app, when MFA is on' },
      recoveryCode: {
        type: 'string',
        minLength: 16,
        maxLength: 32,
        description: 'In place of otp: one of the recovery codes (each works once)',
      },
    },

    description: 'The example is a customer of the demo shop (npm run seed).',
    examples: [{ email: 'ada@example.com', password: 'demo-password-123' }],
  },
  response: { 200: tokenPair, ...problems(400, 401, 415, 422, 503) },
} as const;

export const refreshSchema = {
  tags: ['identity'],
  summary: 'Rotate: spend the refresh token for new tokens',
  body: refreshBody,
  response: { 200: tokenPair, ...problems(400, 401, 415, 422) },
} as const;

export const logoutSchema = {
  tags: ['identity'],
  summary: 'Sign out: end the session of this refresh token; its access tokens stop working',
  body: refreshBody,
  response: { 204: { type: 'null', description: 'Signed out' }, ...problems(400, 401, 415) },
} as const;

export const emptySignedInSchema = (summary: string) =>
  ({
    tags: ['identity'],
    summary,
    body: { type: 'object', additionalProperties: false, properties: {}, examples: [{}] },
    response: { 204: { type: 'null', description: 'Done' }, ...problems(400, 401, 415) },
  }) as const;

export const changePasswordSchema = {
  tags: ['identity'],
  summary: "Change the signed-in user's password; the other sessions end",
  body: {
    type: 'object',
    required: ['currentPassword', 'newPassword'],
    additionalProperties: false,
    properties: {
      currentPassword: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH },
      newPassword: passwordSchema,
    },
    examples: [{ currentPassword: 'correct-horse-battery', newPassword: 'a-new-passphrase-for-2027' }],
  },
  response: { 204: { type: 'null', description: 'Changed' }, ...problems(400, 401, 415, 503) },
} as const;

export const requestPasswordResetSchema = {
  tags: ['identity'],
  summary: 'Ask for a password reset link by mail',
  description:
    'Always 202, whether or not the email has an account: when it has one that may sign in, a link that works once and expires is mailed to it.',
  body: {
    type: 'object',
    required: ['email'],
    additionalProperties: false,
    properties: { email: emailSchema },
    examples: [{ email: 'ada@example.com' }],
  },
  response: { 202: { type: 'null', description: 'Accepted' }, ...problems(400, 415, 429) },
} as const;

export const confirmPasswordResetSchema = {
  tags: ['identity'],
  summary: 'Set a new password with the token of a reset link; every session ends',
  body: {
    type: 'object',
    required: ['token', 'newPassword'],
    additionalProperties: false,
    properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, newPassword: passwordSchema },
    description:
      "Put the token of the reset link (after #token= in the mailed link); the example's is a placeholder, refused with 400 PASSWORD_RESET_TOKEN_INVALID.",
    examples: [{ token: 'paste-the-token-of-your-reset-link-here', newPassword: 'a-new-passphrase-for-2027' }],
  },
  response: { 204: { type: 'null', description: 'Changed' }, ...problems(400, 415, 429, 503) },
} as const;

export const listSessionsSchema = {
  tags: ['identity'],
  summary: "The signed-in user's active sessions (its devices)",
  response: {
    200: {
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['sessionId', 'createdAt', 'lastUsedAt', 'current'],
            properties: {
              sessionId: { type: 'string' },
              createdAt: { type: 'string' },
              lastUsedAt: { type: 'string' },
              userAgent: { type: ['string', 'null'] },
              ipAddress: { type: ['string', 'null'] },
              current: { type: 'boolean' },
            },
          },
        },
      },
    },
    ...problems(401),
  },
} as const;

export const endSessionSchema = {
  tags: ['identity'],
  summary: 'End one of your sessions (sign a device out)',
  params: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } },
  },
  response: { 204: { type: 'null', description: 'Ended' }, ...problems(401, 404) },
} as const;

export const userStatusSchema = (summary: string, withReason: boolean) =>
  ({
    tags: ['identity'],
    summary,
    params: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } },
    },
    body: withReason
      ? {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
          examples: [{ reason: 'Chargeback fraud on order 1042' }],
        }
      : { type: 'object', additionalProperties: false, properties: {}, examples: [{}] },
    response: {
      200: { type: 'object', required: ['position'], properties: { position: positionSchema } },
      ...problems(400, 401, 403, 404, 415),
    },
  }) as const;

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
        mfaEnabled: { type: 'boolean' },
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
    examples: [{ email: 'clerk@example.com', password: 'evening-shift-123', name: 'Counter Clerk', roles: ['staff'] }],
  },
  response: {
    201: {
      type: 'object',
      required: ['userId', 'position'],
      properties: { userId: { type: 'string' }, customerId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 409, 415, 422, 503),
  },
} as const;

const providerParams = {
  type: 'object',
  required: ['provider'],
  additionalProperties: false,
  // Any name: one that is not configured is a 404 OIDC_PROVIDER_NOT_FOUND.
  properties: { provider: { type: 'string', minLength: 1, maxLength: 64, description: 'A name in OIDC_PROVIDERS' } },
} as const;

export const oidcStartSchema = {
  tags: ['identity'],
  summary: 'Sign in at an OpenID provider: a redirect to it (authorization code flow with PKCE S256, state, nonce)',
  params: providerParams,
  response: {
    302: { type: 'null', description: "To the provider's authorization endpoint (Location)" },
    ...problems(404, 429, 502),
  },
} as const;

export const oidcCallbackSchema = {
  tags: ['identity'],
  summary: "The provider's redirect back: signs in its user (linked, or signed up as a customer)",
  params: providerParams,
  // What the provider sends (RFC 6749 4.1.2, RFC 9207 `iss`); other parameters it adds are let through.
  querystring: {
    type: 'object',
    properties: {
      code: { type: 'string', maxLength: 4096 },
      state: { type: 'string', maxLength: 512 },
      iss: { type: 'string', maxLength: 2048 },
      error: { type: 'string', maxLength: 256 },
      error_description: { type: 'string', maxLength: 2048 },
    },
  },
  response: { 200: tokenPair, ...problems(400, 401, 403, 404, 409, 429, 502) },
} as const;

const apiKeyRolesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: API_KEY_ROLES.length,
  uniqueItems: true,
  items: { type: 'string', enum: [...API_KEY_ROLES] },
} as const;

const apiKeyView = {
  type: 'object',
  required: ['apiKeyId', 'name', 'roles', 'createdAt', 'expiresAt', 'lastUsedAt', 'revoked'],
  properties: {
    apiKeyId: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'], description: 'The last call with the key, to the minute' },
    revoked: { type: 'boolean' },
    revokedAt: { type: ['string', 'null'] },
  },
} as const;

export const createApiKeySchema = {
  tags: ['identity'],
  summary: 'Create an API key for a service (admin); the key is shown once',
  description:
    "Services send the key as `X-API-Key` and act with its roles (any but customer). Only a hash of it is kept: store the answer's `key` now.",
  body: {
    type: 'object',
    required: ['name', 'roles'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
      roles: apiKeyRolesSchema,
      expiresAt: { type: 'string', format: 'date-time', description: 'Unset: until revoked' },
    },
    examples: [{ name: 'nightly-reports', roles: ['analyst'], expiresAt: '2099-12-31T23:59:59Z' }],
  },
  response: {
    201: {
      type: 'object',
      required: ['apiKeyId', 'key', 'name', 'roles', 'createdAt', 'expiresAt', 'position'],
      properties: {
        apiKeyId: { type: 'string' },
        key: { type: 'string', description: 'rlk_<apiKeyId>.<secret>: shown this once' },
        name: { type: 'string' },
        roles: { type: 'array', items: { type: 'string' } },
        createdAt: { type: 'string' },
        expiresAt: { type: ['string', 'null'] },
        position: positionSchema,
      },
    },
    ...problems(400, 401, 403, 415),
  },
} as const;

export const listApiKeysSchema = {
  tags: ['identity'],
  summary: 'Every API key, newest first, with its last use (admin)',
  querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery } },
  response: { 200: pageOf(apiKeyView), ...problems(400, 401, 403) },
} as const;

export const revokeApiKeySchema = {
  tags: ['identity'],
  summary: 'Revoke an API key (admin): it stops working at once',
  params: uuidParam('id'),
  response: { 204: { type: 'null', description: 'Revoked' }, ...problems(401, 403, 404) },
} as const;

const otpSchema = {
  type: 'string',
  pattern: '^[0-9]{6}$',
  description: 'The 6-digit code the authenticator app shows',
} as const;
const recoveryCodeSchema = {
  type: 'string',
  minLength: 16,
  maxLength: 32,
  description: 'One of the recovery codes shown when MFA was turned on (each works once)',
} as const;

export const startMfaSchema = {
  tags: ['identity'],
  summary: 'Start enrolling an authenticator app (TOTP): a new secret, pending until confirmed',
  description:
    'Scan `qrCodeSvg` (or type `secret`) into an authenticator app, then confirm with its first code. Starting again replaces a pending secret; with MFA on it is a 409 MFA_ALREADY_ENABLED.',
  body: emptyBodySchema,
  response: {
    200: {
      type: 'object',
      required: ['secret', 'otpauthUrl', 'qrCodeSvg'],
      properties: {
        secret: { type: 'string', description: 'base32' },
        otpauthUrl: { type: 'string' },
        qrCodeSvg: { type: 'string', description: 'An SVG document of the QR code of otpauthUrl' },
      },
    },
    ...problems(400, 401, 409, 415),
  },
} as const;

export const confirmMfaSchema = {
  tags: ['identity'],
  summary: "Confirm the app's first code: MFA is on, with 10 recovery codes shown once; other sessions end",
  body: {
    type: 'object',
    required: ['otp'],
    additionalProperties: false,
    properties: { otp: otpSchema },
    description:
      "Put the code your authenticator app shows; the example's is a placeholder, refused with 409 MFA_ENROLMENT_NOT_STARTED when no enrolment waits (400 MFA_CODE_INVALID when one does).",
    examples: [{ otp: '123456' }],
  },
  response: {
    200: {
      type: 'object',
      required: ['recoveryCodes', 'position'],
      properties: {
        recoveryCodes: { type: 'array', items: { type: 'string' }, minItems: 10, maxItems: 10 },
        position: positionSchema,
      },
    },
    ...problems(400, 401, 409, 415),
  },
} as const;

export const disableMfaSchema = {
  tags: ['identity'],
  summary: 'Turn MFA off with the password and a code (or a recovery code); other sessions end',
  body: {
    type: 'object',
    required: ['password'],
    additionalProperties: false,
    properties: {
      password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH },
      otp: otpSchema,
      recoveryCode: recoveryCodeSchema,
    },
    oneOf: [{ required: ['otp'] }, { required: ['recoveryCode'] }],
    description:
      "The example's code is a placeholder: with MFA off it is a 409 MFA_NOT_ENABLED. Wrong passwords and codes count as failed sign-ins.",
    examples: [{ password: 'correct-horse-battery', otp: '123456' }],
  },
  response: { 204: { type: 'null', description: 'Turned off' }, ...problems(400, 401, 409, 413, 415, 429) },
} as const;
