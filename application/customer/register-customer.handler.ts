import { CoreDeps } from '../shared/core-deps.js';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { registerCustomer } from './customer-deps.js';
import { RegisterCustomerCommand } from './register-customer.command.js';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(private readonly deps: CoreDeps) {}

  execute({ input, ctx }: RegisterCustomerCommand) {
    return registerCustomer(this.deps, { ...input, customerId: this.deps.ids.uuid(), userId: null }, ctx);
  }
}
