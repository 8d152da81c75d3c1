import type { Damage } from '../../domain/order/order.events.js';
import type { Money } from '../../domain/shared/money.js';
import type { CommandContext } from '../shared/command-context.js';
import { OrderCommand, type OrderCommandResult } from './order-command.js';

export class ReturnOrderCommand extends OrderCommand<
  OrderCommandResult & { lateFee: Money; damageCharges: Money; balance: Money }
> {
  constructor(
    orderId: string,
    readonly input: { returnedOn?: string; damages?: Damage[] },
    ctx: CommandContext,
  ) {
    super(orderId, ctx);
  }
}
