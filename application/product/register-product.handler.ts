import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterProduct } from '../../domain/product/product.commands.js';
import { decideProduct } from '../../domain/product/product.decide.js';
import { initialProductState } from '../../domain/product/product.state.js';
import { productStream } from '../../domain/product/product.events.js';
import { decideSkuClaim, evolveSku, initialSkuState, skuStream } from '../../domain/product/sku.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend, loadStream } from '../shared/event-sourcing.js';
import { CoreDeps } from '../shared/core-deps.js';
import { productEvolver } from './product-evolver.js';
import { RegisterProductCommand } from './register-product.command.js';

const skuEvolver = { initialState: initialSkuState, evolve: evolveSku };

@CommandHandler(RegisterProductCommand)
export class RegisterProductHandler implements ICommandHandler<RegisterProductCommand> {
  constructor(private readonly deps: CoreDeps) {}

  async execute({ input, ctx }: RegisterProductCommand) {
    const command = (productId: string): RegisterProduct => ({
      type: 'RegisterProduct',
      data: { ...input, productId, bufferDays: input.bufferDays ?? 0, currency: this.deps.settings.currency, now: this.deps.now() },
    });
    // Refuse an invalid product before claiming its SKU (the decider is pure, so this is a dry run).
    decideProduct(command('validation'), initialProductState());
    const productId = await this.claimSku(input.sku, ctx);
    const result = await decideAndAppend(this.deps, productStream(productId), productEvolver, (state) => decideProduct(command(productId), state), ctx);
    return { productId, position: result.position!, revision: result.revision! };
  }

  /** Claims the SKU for a new product id, or re-uses a claim whose product was never registered (a crash in between). */
  private async claimSku(sku: string, ctx: CommandContext): Promise<string> {
    const { state } = await loadStream(this.deps.store, skuStream(sku), skuEvolver);
    let productId = this.deps.ids.uuid();
    if (state.claimedBy !== null) {
      const owner = await this.deps.store.readStream(productStream(state.claimedBy), { maxCount: 1 });
      if (owner.length === 0) productId = state.claimedBy;
    }
    await decideAndAppend(this.deps, skuStream(sku), skuEvolver, (s) => decideSkuClaim({ sku: sku.trim(), productId }, s), { ...ctx, expectedRevision: undefined });
    return productId;
  }
}
