import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { factsOf, visibleTo } from './order-command.js';
import { PickUpOrderCommand } from './pick-up-order.command.js';

@CommandHandler(PickUpOrderCommand)
export class PickUpOrderHandler implements ICommandHandler<PickUpOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ orderId, ctx }: PickUpOrderCommand) {
    const result = await this.path.handle(
      orderDecider,
      orderId,
      { type: 'PickUpOrder', data: { now: this.deps.now() } },
      ctx,
      { guard: visibleTo(undefined), expectedRevision: ctx.ifMatch },
    );
    return { status: factsOf(result.state).status, position: result.position!, revision: result.revision! };
  }
}
