import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ProductCommand } from '../../domain/product/product.commands.js';
import type { ProductState } from '../../domain/product/product.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { ProductErrors } from '../../domain/product/product.errors.js';
import type { CommandContext } from '../shared/command-context.js';
import { AdjustStockCommand, RepriceProductCommand, RetireProductCommand } from './product-commands.js';
import { CoreDeps } from '../shared/core-deps.js';
import { decideOnProduct } from './product-repository.js';

async function run(deps: CoreDeps, productId: string, command: ProductCommand, ctx: CommandContext) {
  const result = await decideOnProduct(deps, productId, () => command, ctx);
  if (result.revision === null || result.position === null) throw new DomainError(ProductErrors.notFound, `No product ${productId}`);
  return { position: result.position, revision: result.revision, state: result.state };
}

const stockOf = (state: ProductState): number => (state.status === 'unregistered' ? 0 : state.stock);

@CommandHandler(RepriceProductCommand)
export class RepriceProductHandler implements ICommandHandler<RepriceProductCommand> {
  constructor(private readonly deps: CoreDeps) {}
  async execute({ productId, input, ctx }: RepriceProductCommand) {
    const { position, revision } = await run(
      this.deps,
      productId,
      { type: 'RepriceProduct', data: { ...input, currency: this.deps.settings.currency, now: this.deps.now() } },
      ctx,
    );
    return { position, revision };
  }
}

@CommandHandler(AdjustStockCommand)
export class AdjustStockHandler implements ICommandHandler<AdjustStockCommand> {
  constructor(private readonly deps: CoreDeps) {}
  async execute({ productId, input, ctx }: AdjustStockCommand) {
    const { position, revision, state } = await run(this.deps, productId, { type: 'AdjustStock', data: { ...input, now: this.deps.now() } }, { ...ctx, reason: input.reason });
    return { position, revision, stock: stockOf(state) };
  }
}

@CommandHandler(RetireProductCommand)
export class RetireProductHandler implements ICommandHandler<RetireProductCommand> {
  constructor(private readonly deps: CoreDeps) {}
  async execute({ productId, ctx }: RetireProductCommand) {
    const { position, revision } = await run(this.deps, productId, { type: 'RetireProduct', data: { now: this.deps.now() } }, ctx);
    return { position, revision };
  }
}
