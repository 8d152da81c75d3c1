import { DomainError } from '../shared/domain-error.js';
import { ProductErrors } from './product.errors.js';

/**
 * SKU uniqueness across product streams: one tiny stream per SKU (`sku-<normalised sku>`), claimed
 * with expected revision `no_stream`. EventStoreDB has no unique index, so uniqueness is itself a
 * consistency boundary. A claim whose product was never registered (a crash in between) is
 * re-used by the next registration of that SKU.
 */
export interface SkuClaimed {
  type: 'SkuClaimed';
  data: { sku: string; productId: string };
}

export type SkuState = { claimedBy: string | null };

export const initialSkuState = (): SkuState => ({ claimedBy: null });

export const evolveSku = (_state: SkuState, event: SkuClaimed): SkuState => ({ claimedBy: event.data.productId });

export function decideSkuClaim(command: { sku: string; productId: string }, state: SkuState): SkuClaimed[] {
  if (state.claimedBy === command.productId) return [];
  if (state.claimedBy !== null) throw new DomainError(ProductErrors.skuTaken, `SKU ${command.sku} is already in use`, [{ field: 'sku', message: 'already in use' }]);
  return [{ type: 'SkuClaimed', data: { sku: command.sku, productId: command.productId } }];
}

export const normaliseSku = (sku: string): string => sku.trim().toLowerCase();

export const skuStream = (sku: string): string => `sku-${encodeURIComponent(normaliseSku(sku))}`;
