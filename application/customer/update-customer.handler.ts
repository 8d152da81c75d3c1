import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { customerDecider } from '../../domain/customer/customer.decider.js';
import type { CustomerState } from '../../domain/customer/customer.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { UpdateCustomerCommand } from './update-customer.command.js';

const visibleTo =
  (customerId: string, ownerCustomerId: string | undefined) =>
  (state: CustomerState): void => {
    if (state.status === 'unregistered' || (ownerCustomerId !== undefined && ownerCustomerId !== customerId))
      throw new DomainError(CustomerErrors.notFound, `No customer ${customerId}`);
  };

@CommandHandler(UpdateCustomerCommand)
export class UpdateCustomerHandler implements ICommandHandler<UpdateCustomerCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async execute({ customerId, input, ctx, ownerCustomerId }: UpdateCustomerCommand) {
    const result = await this.path.handle(
      customerDecider,
      customerId,
      { type: 'UpdateCustomer', data: { ...input, now: this.deps.now() } },
      ctx,
      { guard: visibleTo(customerId, ownerCustomerId), expectedRevision: ctx.ifMatch },
    );
    return { position: result.position!, revision: result.revision! };
  }
}
