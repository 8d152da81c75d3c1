import type { Doc } from '../../application/ports/read-store.port.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { productEventTypes, type ProductEvent } from '../../domain/product/product.events.js';
import type { ProductState } from '../../domain/product/product.state.js';
import type { Projection } from '../runner/projection.js';

/** Per product: its state as the product decider folds it, bookings included. */
export type AvailabilityDoc = Doc & Exclude<ProductState, { status: 'unregistered' }> & { revision: string };

/**
 * Per product: its stock and its bookings, folded with the product decider's own `evolve` (the same
 * bookings the write side decides on; released ones are gone). The projection never reads a clock,
 * not even the event's wall-clock time (version 2 dropped bookings that ended before the event's
 * `occurredAt`, so after the server's clock moved back a unit showed free that the write side still
 * held): the per-day figures are computed when asked, from the bookings' own dates against the dates
 * asked about (holds past their expiry then count for nothing).
 */
export const availabilityProjection: Projection<AvailabilityDoc, ProductEvent> = {
  name: 'availability',
  version: 3,
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
    const next = productDecider.evolve(state as ProductState, event);
    return next.status === 'unregistered' ? null : { _id: next.productId, ...next, revision: String(event.revision) };
  },
};
