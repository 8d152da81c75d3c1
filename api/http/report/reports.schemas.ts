import { dateSchema as date, problems } from '../platform/common.schemas.js';

/** Revenue may be negative (a day with more refunded than captured). */
const signedMoney = {
  type: 'object',
  required: ['amount', 'currency'],
  properties: { amount: { type: 'integer', description: 'Minor units' }, currency: { type: 'string' } },
} as const;
const share = {
  type: 'number',
  minimum: 0,
  description: 'Unit-days booked over unit-days in stock (4 decimals)',
} as const;

const windowQuery = {
  from: { ...date, description: 'First local day (default: 29 days before `to`)' },
  to: { ...date, description: "Last local day (default: the shop's today); at most 366 days in all" },
  category: { type: 'string', minLength: 1, maxLength: 100, description: 'Only this product category' },
  atPosition: {
    type: 'string',
    pattern: '^[0-9]{1,20}$',
    description:
      'Read the reports as they stood at this log position: a point-in-time read model built beforehand with POST /v1/projections/reports/rebuild {"atPosition"}',
  },
} as const;

const meta = {
  from: date,
  to: date,
  timeZone: { type: 'string', description: 'SHOP_TIMEZONE: whose local days these are' },
  category: { type: ['string', 'null'] },
  readModel: { type: 'string', description: '`reports`, or `reports@<position>`' },
} as const;

const dailyRow = {
  type: 'object',
  properties: {
    date,
    revenue: signedMoney,
    ordersPlaced: { type: 'integer' },
    ordersCancelled: { type: 'integer' },
    pickups: { type: 'integer' },
    returns: { type: 'integer' },
    activeRentals: {
      type: 'integer',
      description: 'Orders picked up and not returned at the end of the day',
    },
    newCustomers: { type: 'integer' },
    utilization: share,
    unitDaysBooked: { type: 'integer' },
    unitDaysInStock: { type: 'integer' },
  },
} as const;

const csvNote = 'With `Accept: text/csv` the answer is CSV (RFC 4180), one row per line of the JSON answer.';

export const dailyReportSchema = {
  tags: ['analytics'],
  summary: 'Daily figures by local day of the shop: revenue, orders, pickups, returns, rentals out, utilization',
  description: `Every day of the window is listed, with zeros on days with nothing. Revenue is money captured less money refunded on that local day (SHOP_TIMEZONE); with \`category\`, an order's payments count by the share of its line totals in that category, and its orders, pickups and returns count once if any of its lines is in it (new customers are the shop's). ${csvNote}`,
  querystring: { type: 'object', additionalProperties: false, properties: windowQuery },
  response: {
    200: {
      type: 'object',
      properties: {
        ...meta,
        days: {
          type: 'array',
          items: dailyRow,
        },
      },
    },
    ...problems(400, 401, 403, 404, 503),
  },
} as const;

export const reportSnapshotsSchema = {
  tags: ['analytics'],
  summary: 'The daily report snapshots: each closed shop day as the daily report answered it at its close',
  description:
    'The `report-snapshot` schedule keeps, shortly after each midnight of the shop (00:05 in SHOP_TIMEZONE), the day that ended as GET /v1/reports/daily answered it then; later corrections (a late refund, a rebuild) do not change it. Only the days of the window that have a snapshot are listed, oldest first (today never has one).',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { from: windowQuery.from, to: windowQuery.to },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        from: date,
        to: date,
        timeZone: meta.timeZone,
        days: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              date,
              timeZone: { type: 'string', description: 'The SHOP_TIMEZONE the day was counted in' },
              takenAt: { type: 'string', format: 'date-time' },
              slot: { type: 'string', description: 'The schedule slot (job id) that took it' },
              figures: dailyRow,
            },
          },
        },
      },
    },
    ...problems(400, 401, 403),
  },
} as const;

export const topProductsSchema = {
  tags: ['analytics'],
  summary: 'Top products over a window, by rentals (confirmed order lines starting in it) or revenue',
  description: csvNote,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...windowQuery,
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
      by: { type: 'string', enum: ['rentals', 'revenue'], default: 'revenue' },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        ...meta,
        by: { type: 'string' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              productId: { type: 'string' },
              name: { type: 'string' },
              category: { type: 'string' },
              rentals: { type: 'integer' },
              revenue: signedMoney,
              utilization: share,
            },
          },
        },
      },
    },
    ...problems(400, 401, 403, 404, 503),
  },
} as const;

export const utilizationSchema = {
  tags: ['analytics'],
  summary: 'Utilization per product over a window: unit-days booked over unit-days in stock',
  description: `A unit is booked on every date from a confirmed rental's start to its end, both included (buffer days are not counted). ${csvNote}`,
  querystring: { type: 'object', additionalProperties: false, properties: windowQuery },
  response: {
    200: {
      type: 'object',
      properties: {
        ...meta,
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              productId: { type: 'string' },
              name: { type: 'string' },
              category: { type: 'string' },
              stock: { type: 'integer' },
              unitDaysBooked: { type: 'integer' },
              unitDaysAvailable: { type: 'integer', description: 'Unit-days in stock' },
              utilization: share,
            },
          },
        },
      },
    },
    ...problems(400, 401, 403, 404, 503),
  },
} as const;

export const dashboardSchema = {
  tags: ['analytics'],
  summary: "Today's figures, the last 30 days, top products, overdue rentals, projection lag and jobs",
  description:
    '`jobs.failed` and `jobs.pending` are null until a job store tracks them (the jobs framework is not built yet); `parkedEvents` counts the events projections and workflows could not apply.',
  response: {
    200: {
      type: 'object',
      properties: {
        asOf: { type: 'string', format: 'date-time' },
        timeZone: { type: 'string' },
        today: date,
        revenueToday: signedMoney,
        revenueMonth: signedMoney,
        activeRentals: { type: 'integer' },
        overdueRentals: { type: 'integer' },
        pickupsToday: { type: 'integer' },
        returnsToday: { type: 'integer' },
        holdsActive: { type: 'integer' },
        projectionLag: { type: 'integer', description: 'The most events any read model is behind' },
        projections: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              status: { type: 'string' },
              lag: { type: 'object', properties: { events: { type: 'integer' }, seconds: { type: 'integer' } } },
              parked: { type: 'integer' },
            },
          },
        },
        parkedEvents: { type: 'integer' },
        jobs: {
          type: 'object',
          properties: { failed: { type: ['integer', 'null'] }, pending: { type: ['integer', 'null'] } },
        },
        last30Days: {
          type: 'array',
          items: { type: 'object', properties: { date, revenue: signedMoney, utilization: share } },
        },
        topProducts: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              productId: { type: 'string' },
              name: { type: 'string' },
              rentals: { type: 'integer' },
              revenue: signedMoney,
              utilization: share,
            },
          },
        },
        overdue: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              orderId: { type: 'string' },
              customerId: { type: 'string' },
              rentalEnd: date,
              daysOverdue: { type: 'integer' },
            },
          },
        },
      },
    },
    ...problems(401, 403),
  },
} as const;
