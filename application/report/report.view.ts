/**
 * The `reports` read model, as the projection writes it. Four kinds of documents:
 *
 * - `product|<id>`: a product's name, category and stock (what order lines are counted under);
 * - `order|<id>`: an order's lines (with their categories and totals), rental dates and whether its
 *   units are booked (confirmed, not cancelled): what payments are shared out over;
 * - `day|<scope>|<date>`: what happened on one local day of the shop (`SHOP_TIMEZONE`), for the whole
 *   shop (`all`), one category (`c/<category>`) or one product (`p/<productId>`): counts, revenue,
 *   and changes (`*Delta`) whose running sums from the first day give active rentals, units booked
 *   and units in stock on each day;
 * - `totals`: lifetime money captured and refunded, and registrations (for `/metrics`).
 */
export const REPORTS_READ_MODEL = 'reports';

export type ReportLevel = 'all' | 'category' | 'product';

export interface ReportProductDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'product';
  productId: string;
  name: string;
  category: string;
  stock: number;
  active: boolean;
}

export interface ReportOrderLine {
  productId: string;
  category: string;
  quantity: number;
  /** Minor units: the weight this line takes of each payment. */
  lineTotal: number;
}

export interface ReportOrderDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'order';
  orderId: string;
  lines: ReportOrderLine[];
  rentalStart: string;
  rentalEnd: string;
  /** Confirmed and not cancelled: its units count as booked from rentalStart to rentalEnd. */
  booked: boolean;
}

/** Counters of one local day in one scope; absent counters are zero. */
export interface DayCounters {
  /** Minor units captured, less minor units refunded. */
  revenue: number;
  captured: number;
  refunded: number;
  ordersPlaced: number;
  ordersCancelled: number;
  pickups: number;
  returns: number;
  newCustomers: number;
  /** Confirmed order lines whose rental starts this day (products' `rentals`). */
  rentals: number;
  /** Pickups less returns: the running sum is the rentals out at the end of the day. */
  activeDelta: number;
  /** Units whose booking starts this day, less those whose booking ended the day before. */
  bookedDelta: number;
  /** Units put into stock this day, less those taken out. */
  stockDelta: number;
}

export const COUNTERS: ReadonlyArray<keyof DayCounters> = [
  'revenue',
  'captured',
  'refunded',
  'ordersPlaced',
  'ordersCancelled',
  'pickups',
  'returns',
  'newCustomers',
  'rentals',
  'activeDelta',
  'bookedDelta',
  'stockDelta',
];

export interface ReportDayDoc extends Partial<DayCounters> {
  _id: string;
  [key: string]: unknown;
  kind: 'day';
  level: ReportLevel;
  /** `all`, `c/<category>` or `p/<productId>`. */
  scope: string;
  date: string;
}

export interface ReportTotalsDoc {
  _id: 'totals';
  [key: string]: unknown;
  kind: 'totals';
  captured: number;
  refunded: number;
  registrations: number;
}

export type ReportDoc = ReportProductDoc | ReportOrderDoc | ReportDayDoc | ReportTotalsDoc;

export const productKey = (productId: string) => `product|${productId}`;
export const orderKey = (orderId: string) => `order|${orderId}`;
export const dayKey = (scope: string, date: string) => `day|${scope}|${date}`;
export const TOTALS_KEY = 'totals';
export const ALL_SCOPE = 'all';
export const categoryScope = (category: string) => `c/${category}`;
export const productScope = (productId: string) => `p/${productId}`;
