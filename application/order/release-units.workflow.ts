import type { OrderCancelled, OrderExpired, OrderReturned } from '../../domain/order/order.events.js';
import { systemContext } from '../shared/command-context.js';
import type { Workflow } from '../shared/workflow.js';
import { ReleaseUnitsCommand } from '../product/release-units.command.js';

type Ended = OrderCancelled | OrderExpired | OrderReturned;

const reasons = { OrderCancelled: 'cancelled', OrderExpired: 'expired', OrderReturned: 'returned' } as const;

/** A cancelled, expired or returned order's units, released (again: the order handler did it at once). Stateless. */
export const releaseUnitsWorkflow: Workflow<Ended, null> = {
  name: 'release-units',
  inputs: ['OrderCancelled', 'OrderExpired', 'OrderReturned'],
  instanceOf: (event) => event.data.orderId,
  initialState: () => null,
  evolve: () => null,
  decide: (event) => [
    new ReleaseUnitsCommand(event.data, reasons[event.type], systemContext(event.metadata.correlationId, event.id)),
  ],
};
