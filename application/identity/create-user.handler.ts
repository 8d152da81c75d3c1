import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CreateUserCommand } from './create-user.command.js';
import { Registration } from './registration.service.js';

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(private readonly registration: Registration) {}

  async execute({ input, ctx }: CreateUserCommand) {
    const { userId, customerId, position } = await this.registration.register(input, ctx);
    return { userId, ...(customerId ? { customerId } : {}), position };
  }
}
