import { accessProjection } from './identity/access.projection.js';
import { availabilityProjection } from './product/availability.projection.js';
import { customersProjection } from './customer/customers.projection.js';
import { uploadsProjection } from './customer/uploads.projection.js';
import { ordersProjection } from './order/orders.projection.js';
import { paymentsProjection } from './payment/payments.projection.js';
import { productsProjection } from './product/products.projection.js';
import { reportsProjection } from './report/reports.projection.js';
import { weekdayDemandProjection } from './report/weekday-demand.projection.js';
import type { Projection } from './runner/projection.js';

/** Settings some read models depend on (the projection's `variant`: a change rebuilds them). */
export interface ProjectionSettings {
  /** IANA time zone whose local days the reports count in (`SHOP_TIMEZONE`). */
  shopTimeZone: string;
}

/**
 * Every read model Rentlog maintains, registered here once. Names are checkpoint names and what
 * `X-Min-Position` waits for. A projection of your own goes into this list (see the README).
 */
export function allProjections(settings: ProjectionSettings): readonly Projection[] {
  return [
    productsProjection,
    ordersProjection,
    availabilityProjection,
    customersProjection,
    uploadsProjection,
    paymentsProjection,
    accessProjection,
    reportsProjection(settings.shopTimeZone),
    weekdayDemandProjection,
  ] as unknown as readonly Projection[];
}
