import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Registration } from './registration.service.js';
import { RegisterUserCommand } from './register-user.command.js';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(private readonly registration: Registration) {}

  async execute({ input, ctx }: RegisterUserCommand) {
    const { userId, customerId, position } = await this.registration.register({ ...input, roles: ['customer'] }, ctx);
    return { userId, customerId: customerId!, position };
  }
}
