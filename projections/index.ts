import { productsProjection } from './products/products.projection.js';
import type { Projection } from './runner/projection.js';

/** Every read model Rentlog maintains. Names are checkpoint names and what `X-Min-Position` waits for. */
export const allProjections: readonly Projection[] = [productsProjection as unknown as Projection];
