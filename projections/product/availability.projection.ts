import type { Doc } from '../../application/ports/read-store.port.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { productEventTypes, type ProductEvent } from '../../domain/product/product.events.js';
import { pruneProductState, type ProductState } from '../../domain/product/product.state.js';
import type { Projection } from '../runner/projection.js';

/** Per product: its state as the product decider folds it, bookings included. */
export type AvailabilityDoc = Doc & Exclude<ProductState, { status: 'unregistered' }> & { revision: string };

/**
 * Per product: its stock and the bookings that may still matter, folded with the product decider's
 * own `evolve` (the same bookings the write side decides on). The per-day figures are computed when
 * asked (holds past their expiry then count for nothing). Bookings that ended before the day of the
 * event being applied are dropped, so documents stay small and a rebuild gives the same ones.
 */
export const availabilityProjection: Projection<AvailabilityDoc, ProductEvent> = {
  name: 'availability',
  version: 2,
  collection: 'availability',
  indexes: [],
  handles: new Set<string>(productEventTypes),
  keys: (event) => [event.data.productId],
  apply(doc, event) {
    if (doc && BigInt(doc.revision) >= event.revision) return doc; // applied already
    const {
      _id,
      _position,
      revision: _r,
      ...state
    } = doc ?? { _id: '', _position: '', revision: '-1', ...productDecider.initialState() };
    const next = pruneProductState(
      productDecider.evolve(state as ProductState, event),
      event.metadata.occurredAt.slice(0, 10),
    );
    return next.status === 'unregistered' ? null : { _id: next.productId, ...next, revision: String(event.revision) };
  },
};
