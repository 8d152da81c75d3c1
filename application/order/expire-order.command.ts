import { OrderCommand, type OrderCommandResult } from './order-command.js';

/** The worker expires a reserved order whose hold ran out. */
export class ExpireOrderCommand extends OrderCommand<OrderCommandResult> {}
