import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { CloseOrderCommand } from './close-order.command.js';
import { factsOf, visibleTo } from './order-command.js';

@CommandHandler(CloseOrderCommand)
export class CloseOrderHandler implements ICommandHandler<CloseOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ orderId, ctx }: CloseOrderCommand) {
    const result = await this.path.handle(
      orderDecider,
      orderId,
      { type: 'CloseOrder', data: { now: this.deps.now() } },
      ctx,
      { guard: visibleTo(undefined), expectedRevision: ctx.ifMatch },
    );
    return { status: factsOf(result.state).status, position: result.position!, revision: result.revision! };
  }
}
