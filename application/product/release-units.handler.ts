import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productDecider } from '../../domain/product/product.decider.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ReleaseUnitsCommand } from './release-units.command.js';

/**
 * Frees an order's units on each product's stream. Releasing twice changes nothing, so the order
 * handlers release at once and the release-units workflow releases again from the log (mending a
 * crash in between). Answers the position of the last event appended (0n when none).
 */
@CommandHandler(ReleaseUnitsCommand)
export class ReleaseUnitsHandler implements ICommandHandler<ReleaseUnitsCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ order, reason, ctx }: ReleaseUnitsCommand) {
    const now = this.deps.now();
    let position = 0n;
    for (const { productId } of order.items) {
      const result = await this.path.handle(
        productDecider,
        productId,
        { type: 'ReleaseUnits', data: { orderId: order.orderId, reason, now } },
        ctx,
      );
      if (result.events.length > 0) position = latest(position, result.position);
    }
    return { position };
  }
}
