import { OrderCommand, type OrderCommandResult } from './order-command.js';

export class PickUpOrderCommand extends OrderCommand<OrderCommandResult> {}
