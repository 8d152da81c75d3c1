import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CommandPath, assertExpectedRevision, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { ConfirmOrderCommand } from './confirm-order.command.js';
import { factsOf, visibleTo } from './order-command.js';

/** Confirms every product's hold, then the order; the order's stream is read once (refused early, before any product). */
@CommandHandler(ConfirmOrderCommand)
export class ConfirmOrderHandler implements ICommandHandler<ConfirmOrderCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ orderId, ctx, ownerCustomerId }: ConfirmOrderCommand) {
    const now = this.deps.now();
    const command = { type: 'ConfirmOrder' as const, data: { now } };
    const loaded = await this.path.load(orderDecider, orderId, visibleTo(ownerCustomerId));
    assertExpectedRevision(orderDecider.streamOf(orderId), loaded, ctx.ifMatch);
    orderDecider.decide(command, loaded.state); // refuse before touching products (the decider is pure)
    let confirmedHolds = 0n;
    if (loaded.state.status === 'reserved') {
      for (const line of loaded.state.items) {
        try {
          const held = await this.path.handle(
            productDecider,
            line.productId,
            { type: 'ConfirmHold', data: { orderId, now } },
            ctx,
          );
          confirmedHolds = latest(confirmedHolds, held.position);
        } catch (error) {
          if (
            error instanceof DomainError &&
            (error.code === ProductErrors.holdExpired || error.code === ProductErrors.holdNotFound)
          ) {
            throw new DomainError(
              OrderErrors.holdExpired,
              `The units held for this order were released (${error.message})`,
            );
          }
          throw error;
        }
      }
    }
    const result = await this.path.handle(orderDecider, orderId, command, ctx, {
      loaded,
      guard: visibleTo(ownerCustomerId),
      expectedRevision: ctx.ifMatch,
    });
    return {
      status: factsOf(result.state).status,
      position: latest(result.position, confirmedHolds),
      revision: result.revision!,
    };
  }
}
