import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productDecider } from '../../domain/product/product.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RepriceProductCommand } from './reprice-product.command.js';

@CommandHandler(RepriceProductCommand)
export class RepriceProductHandler implements ICommandHandler<RepriceProductCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ productId, input, ctx }: RepriceProductCommand) {
    const command = {
      type: 'RepriceProduct' as const,
      data: { ...input, currency: this.deps.settings.currency, now: this.deps.now() },
    };
    const result = await this.path.handle(productDecider, productId, command, ctx, { expectedRevision: ctx.ifMatch });
    return { position: result.position!, revision: result.revision! };
  }
}
