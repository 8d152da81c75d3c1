import { OrderCommand, type OrderCommandResult } from './order-command.js';

export class CloseOrderCommand extends OrderCommand<OrderCommandResult> {}
