import type { Decider } from '../shared/decider.js';
import type { OrderCommand } from './order.commands.js';
import { decideOrder } from './order.decide.js';
import { orderStream, type OrderEvent } from './order.events.js';
import { evolveOrder, initialOrderState, type OrderState } from './order.state.js';

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  streamOf: orderStream,
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideOrder,
};
