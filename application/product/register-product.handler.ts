import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterProduct } from '../../domain/product/product.commands.js';
import { productDecider } from '../../domain/product/product.decider.js';
import { skuClaimDecider, skuKey } from '../../domain/product/sku.js';
import { claimUnique } from '../shared/claim-unique.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { RegisterProductCommand } from './register-product.command.js';

/** Claims the SKU (unique across products), then registers the product under the id the claim names. */
@CommandHandler(RegisterProductCommand)
export class RegisterProductHandler implements ICommandHandler<RegisterProductCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ input, ctx }: RegisterProductCommand) {
    const command = (productId: string): RegisterProduct => ({
      type: 'RegisterProduct',
      data: {
        ...input,
        productId,
        bufferDays: input.bufferDays ?? 0,
        currency: this.deps.settings.currency,
        now: this.deps.now(),
      },
    });
    productDecider.decide(command('validation'), productDecider.initialState()); // an invalid product claims no SKU
    const productId = await claimUnique(
      this.path,
      skuClaimDecider,
      skuKey(input.sku),
      { newId: this.deps.ids.uuid(), decider: productDecider },
      ctx,
    );
    const result = await this.path.handle(productDecider, productId, command(productId), ctx);
    return { productId, position: result.position!, revision: result.revision! };
  }
}
