import { OrderCommand, type OrderCommandResult } from './order-command.js';

export class ConfirmOrderCommand extends OrderCommand<OrderCommandResult> {}
