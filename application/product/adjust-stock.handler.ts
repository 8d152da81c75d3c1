import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { productDecider } from '../../domain/product/product.decider.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { AdjustStockCommand } from './adjust-stock.command.js';

@CommandHandler(AdjustStockCommand)
export class AdjustStockHandler implements ICommandHandler<AdjustStockCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ productId, input, ctx }: AdjustStockCommand) {
    const command = { type: 'AdjustStock' as const, data: { ...input, now: this.deps.now() } };
    const result = await this.path.handle(
      productDecider,
      productId,
      command,
      { ...ctx, reason: input.reason },
      { expectedRevision: ctx.ifMatch },
    );
    return {
      stock: result.state.status === 'unregistered' ? 0 : result.state.stock,
      position: result.position!,
      revision: result.revision!,
    };
  }
}
