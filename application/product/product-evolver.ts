import type { ProductEvent } from '../../domain/product/product.events.js';
import { evolveProduct, initialProductState, type ProductState } from '../../domain/product/product.state.js';
import type { Evolver } from '../shared/event-sourcing.js';

export const productEvolver: Evolver<ProductState, ProductEvent> = { initialState: initialProductState, evolve: evolveProduct };
