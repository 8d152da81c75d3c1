import type { Decider } from '../shared/decider.js';
import type { ProductCommand } from './product.commands.js';
import { decideProduct } from './product.decide.js';
import { productStream, type ProductEvent } from './product.events.js';
import { evolveProduct, initialProductState, pruneProductState, type ProductState } from './product.state.js';

/** A product and its bookings. Busy products have long streams: a snapshot every 50 events keeps loading cheap. */
export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  streamOf: productStream,
  initialState: initialProductState,
  evolve: evolveProduct,
  decide: decideProduct,
  snapshots: { every: 50, version: 3, compact: pruneProductState, keepFolded: true },
};
