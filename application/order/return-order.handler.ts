import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { orderTotals } from '../../domain/order/order.money.js';
import { assertIsoDate, dateOf } from '../../domain/shared/date-range.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { factsOf, releaseAtOnce, visibleTo } from './order-command.js';
import { ReturnOrderCommand } from './return-order.command.js';

/** Records the return with its late fee and damages, then frees the units on each product. */
@CommandHandler(ReturnOrderCommand)
export class ReturnOrderHandler implements ICommandHandler<ReturnOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly commands: CommandBus,
  ) {}

  async execute({ orderId, input, ctx }: ReturnOrderCommand) {
    const now = this.deps.now();
    const returnedOn = input.returnedOn ?? dateOf(now);
    assertIsoDate(returnedOn, 'returnedOn');
    const command = {
      type: 'ReturnOrder' as const,
      data: { returnedOn, damages: input.damages ?? [], policy: this.deps.settings.lateReturn, now },
    };
    const result = await this.path.handle(orderDecider, orderId, command, ctx, {
      guard: visibleTo(undefined),
      expectedRevision: ctx.ifMatch,
    });
    const order = factsOf(result.state);
    const released = await releaseAtOnce(this.commands, this.deps.logger, order, 'returned', ctx);
    return {
      status: order.status,
      position: latest(result.position, released),
      revision: result.revision!,
      lateFee: order.lateFee,
      damageCharges: order.damageCharges,
      balance: orderTotals(order).balance,
    };
  }
}
