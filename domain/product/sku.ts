import { DomainError } from '../shared/domain-error.js';
import { uniqueClaimDecider } from '../shared/unique-claim.js';
import { ProductErrors } from './product.errors.js';

/** SKUs are unique across products: each normalised SKU is claimed once (`sku-<normalised sku>`). */
export const skuClaimDecider = uniqueClaimDecider(
  'sku',
  () =>
    new DomainError(ProductErrors.skuTaken, 'This SKU is already in use', [
      { field: 'sku', message: 'already in use' },
    ]),
);

export const normaliseSku = (sku: string): string => sku.trim().toLowerCase();

/** The claim's key: the normalised SKU (a SKU is no personal data), made safe for a stream id. */
export const skuKey = (sku: string): string => encodeURIComponent(normaliseSku(sku));
