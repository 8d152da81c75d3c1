/** JSON schemas of the audit's verification and checkpoint answers. */
const position = { type: 'string', pattern: '^[0-9]+$' } as const;

export const verifyReportSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    checkedEvents: { type: 'integer' },
    head: {
      type: ['object', 'null'],
      properties: { position, hash: { type: ['string', 'null'] } },
    },
    checkpoints: {
      type: 'object',
      properties: {
        checked: { type: 'integer' },
        last: {
          type: ['object', 'null'],
          properties: { sequence: { type: 'integer' }, toPosition: position, signedAt: { type: 'string' } },
        },
      },
    },
    firstBroken: {
      type: 'object',
      properties: {
        streamId: { type: 'string' },
        revision: { type: 'integer' },
        position: { type: ['string', 'null'] },
        reason: { type: 'string', enum: ['changed', 'removed', 'inserted', 'reordered', 'checkpoint'] },
        detail: { type: 'string' },
      },
    },
    fromPosition: position,
    verifiedAt: { type: 'string' },
  },
} as const;

export const checkpointsTakenSchema = {
  type: 'object',
  properties: {
    recorded: { type: 'integer', description: 'Checkpoints recorded (0: nothing moved since the last one)' },
    last: {
      type: ['object', 'null'],
      properties: {
        sequence: { type: 'integer' },
        fromPosition: position,
        toPosition: position,
        chains: { type: 'integer' },
        root: { type: 'string' },
        position,
      },
    },
    position: { type: ['string', 'null'] },
  },
} as const;

export const asOfQuerySchema = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['at'] }, { required: ['position'] }],
  properties: {
    at: { type: 'string', format: 'date-time', description: 'Events that occurred at or before this time' },
    position: { type: 'string', pattern: '^[0-9]{1,20}$', description: 'Events at or before this position' },
  },
} as const;

/** The area's own answer (as its GET shows it), plus `asOf`. */
export const asOfSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    asOf: {
      type: 'object',
      properties: {
        position: { type: ['string', 'null'] },
        at: { type: ['string', 'null'] },
        applied: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              eventId: { type: 'string' },
              streamId: { type: 'string' },
              revision: { type: 'integer' },
              position,
              type: { type: 'string' },
              occurredAt: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

export const securityEventsSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          position,
          type: { type: 'string' },
          at: { type: 'string' },
          actor: { type: 'object', properties: { userId: { type: 'string' }, role: { type: 'string' } } },
          userId: { type: ['string', 'null'] },
          ipAddress: { type: ['string', 'null'] },
          userAgent: { type: ['string', 'null'] },
          detail: { type: 'object', additionalProperties: true },
          streamId: { type: 'string' },
          eventId: { type: 'string' },
        },
      },
    },
    nextPosition: { type: ['string', 'null'] },
  },
} as const;
