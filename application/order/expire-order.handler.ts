import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ExpireOrderCommand } from './expire-order.command.js';
import { factsOf, releaseAtOnce, visibleTo } from './order-command.js';

@CommandHandler(ExpireOrderCommand)
export class ExpireOrderHandler implements ICommandHandler<ExpireOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly commands: CommandBus,
  ) {}

  async execute({ orderId, ctx }: ExpireOrderCommand) {
    const now = this.deps.now();
    const result = await this.path.handle(orderDecider, orderId, { type: 'ExpireOrder', data: { now } }, ctx, {
      guard: visibleTo(undefined),
    });
    const order = factsOf(result.state);
    const released = await releaseAtOnce(this.commands, this.deps.logger, order, 'expired', ctx);
    return { status: order.status, position: latest(result.position, released), revision: result.revision! };
  }
}
