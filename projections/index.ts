import { accessProjection } from './identity/access.projection.js';
import { availabilityProjection } from './product/availability.projection.js';
import { customersProjection } from './customer/customers.projection.js';
import { ordersProjection } from './order/orders.projection.js';
import { paymentsProjection } from './payment/payments.projection.js';
import { productsProjection } from './product/products.projection.js';
import type { Projection } from './runner/projection.js';

/** Every read model Rentlog maintains. Names are checkpoint names and what `X-Min-Position` waits for. */
export const allProjections: readonly Projection[] = [
  productsProjection,
  ordersProjection,
  availabilityProjection,
  customersProjection,
  paymentsProjection,
  accessProjection,
] as unknown as readonly Projection[];
