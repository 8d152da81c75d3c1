import type { OrderPlaced } from '../../domain/order/order.events.js';
import type { Projection } from '../runner/projection.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface WeekdayDemandDoc {
  _id: string;
  [key: string]: unknown;
  weekday: string;
  orders: number;
  units: number;
}

/**
 * An analyst's own read model (the README's worked example): orders placed and units asked for, by
 * the weekday their rental starts on. One document per weekday; the runner makes a replay harmless.
 */
export const weekdayDemandProjection: Projection<WeekdayDemandDoc, OrderPlaced> = {
  name: 'weekday_demand',
  version: 1,
  collection: 'weekday_demand',
  indexes: [],
  handles: new Set(['OrderPlaced']),
  keys: (event) => [WEEKDAYS[new Date(`${event.data.rentalStart}T00:00:00Z`).getUTCDay()]],
  apply: (doc, event, weekday) => ({
    _id: weekday,
    weekday,
    orders: (doc?.orders ?? 0) + 1,
    units: (doc?.units ?? 0) + event.data.items.reduce((sum, item) => sum + item.quantity, 0),
  }),
};
