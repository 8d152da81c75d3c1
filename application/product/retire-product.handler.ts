import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productDecider } from '../../domain/product/product.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RetireProductCommand } from './retire-product.command.js';

@CommandHandler(RetireProductCommand)
export class RetireProductHandler implements ICommandHandler<RetireProductCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ productId, ctx }: RetireProductCommand) {
    const result = await this.path.handle(
      productDecider,
      productId,
      { type: 'RetireProduct', data: { now: this.deps.now() } },
      ctx,
      { expectedRevision: ctx.ifMatch },
    );
    return { position: result.position!, revision: result.revision! };
  }
}
