import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { CancelOrderCommand } from './cancel-order.command.js';
import { factsOf, releaseAtOnce, visibleTo } from './order-command.js';

/** Cancels the order (`If-Match` pins the order's stream only), then releases its units on each product. */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    private readonly commands: CommandBus,
  ) {}

  async execute({ orderId, reason, ctx, ownerCustomerId }: CancelOrderCommand) {
    const now = this.deps.now();
    const command = { type: 'CancelOrder' as const, data: { reason, policy: this.deps.settings.cancellation, now } };
    const result = await this.path.handle(
      orderDecider,
      orderId,
      command,
      ctx, // the reason is the customer's words: in the event's data (encrypted), never in metadata
      { guard: visibleTo(ownerCustomerId), expectedRevision: ctx.ifMatch },
    );
    const order = factsOf(result.state);
    const released = await releaseAtOnce(this.commands, this.deps.logger, order, 'cancelled', ctx);
    return {
      status: order.status,
      position: latest(result.position, released),
      revision: result.revision!,
      cancellationFee: order.cancellationFee,
    };
  }
}
