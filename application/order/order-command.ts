import { Command, type CommandBus } from '@nestjs/cqrs';
import { OrderErrors } from '../../domain/order/order.errors.js';
import type { OrderFacts, OrderState, OrderStatus } from '../../domain/order/order.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Logger } from '../ports/logger.port.js';
import { ReleaseUnitsCommand } from '../product/release-units.command.js';
import type { CommandContext } from '../shared/command-context.js';

export interface OrderCommandResult {
  status: OrderStatus;
  position: bigint;
  revision: bigint;
}

/** A command on one order, given by staff or by the order's customer. */
export abstract class OrderCommand<R> extends Command<R> {
  constructor(
    readonly orderId: string,
    readonly ctx: CommandContext,
    /** Set when the caller acts as a customer: only its own orders exist for it. */
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

/**
 * The access check of the command path's load: an unknown order, and for a caller acting as a customer
 * anyone else's, is "not found", so existence does not leak.
 */
export const visibleTo =
  (ownerCustomerId: string | undefined) =>
  (state: OrderState): void => {
    if (state.status === 'none' || (ownerCustomerId !== undefined && state.customerId !== ownerCustomerId))
      throw new DomainError(OrderErrors.notFound, 'No such order');
  };

/** The order's facts, once `visibleTo` has let it through. */
export function factsOf(state: OrderState): OrderFacts {
  if (state.status === 'none') throw new DomainError(OrderErrors.notFound, 'No such order');
  return state;
}

/**
 * Frees an ended order's units at once, so the command's answer covers the release; a failure is
 * logged and left to the release-units workflow, which releases again from the log.
 */
export async function releaseAtOnce(
  commands: CommandBus,
  logger: Logger,
  order: OrderFacts,
  reason: 'cancelled' | 'expired' | 'returned',
  ctx: CommandContext,
): Promise<bigint> {
  try {
    return (await commands.execute(new ReleaseUnitsCommand(order, reason, ctx))).position;
  } catch (error) {
    logger.warn('releasing units failed; the release-units workflow retries from the log', {
      orderId: order.orderId,
      error: (error as Error).message,
    });
    return 0n;
  }
}
