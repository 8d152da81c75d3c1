/**
 * A read model's document as it stood at a past position or time, folded from the events that were
 * recorded by then (the projections' own functions over the streams the document is made of).
 */
import type { Doc } from './read-store.port.js';

export const AS_OF = Symbol('AsOf');

export type AsOfArea = 'orders' | 'customers' | 'products' | 'payments';

export interface AppliedEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: string;
  type: string;
  occurredAt: string;
}

export interface AsOfPoint {
  /** Inclusive: events at or before this position. */
  position?: bigint;
  /** Inclusive: events that occurred at or before this time (ISO 8601). */
  at?: string;
}

export interface AsOfDocument {
  /** null: the document did not exist yet (or never). */
  doc: Doc | null;
  applied: AppliedEvent[];
}

export interface AsOfViews {
  fold(area: AsOfArea, id: string, point: AsOfPoint): Promise<AsOfDocument>;
}
