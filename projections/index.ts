import { availabilityProjection } from './availability/availability.projection.js';
import { customersProjection } from './customers/customers.projection.js';
import { ordersProjection } from './orders/orders.projection.js';
import { paymentsProjection } from './payments/payments.projection.js';
import { productsProjection } from './products/products.projection.js';
import type { Projection } from './runner/projection.js';

/** Every read model Rentlog maintains. Names are checkpoint names and what `X-Min-Position` waits for. */
export const allProjections: readonly Projection[] = [
  productsProjection,
  ordersProjection,
  availabilityProjection,
  customersProjection,
  paymentsProjection,
] as unknown as readonly Projection[];
