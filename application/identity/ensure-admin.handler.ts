import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { CoreDeps } from '../shared/core-deps.js';
import { EnsureAdminCommand } from './ensure-admin.command.js';
import { Registration } from './registration.service.js';
import { UserDirectory } from './user-directory.js';

@CommandHandler(EnsureAdminCommand)
export class EnsureAdminHandler implements ICommandHandler<EnsureAdminCommand> {
  constructor(
    private readonly deps: CoreDeps,
    private readonly users: UserDirectory,
    private readonly registration: Registration,
  ) {}

  async execute({ input, ctx }: EnsureAdminCommand) {
    const existing = await this.users.findByEmail(input.email);
    if (existing) return { userId: existing.userId, created: false };
    try {
      const { userId } = await this.registration.register(
        { email: input.email, password: input.password, name: 'Administrator', roles: ['admin'] },
        ctx,
      );
      // At debug: `rentlog start` says where it listens first; the event log records who created the admin.
      this.deps.logger.debug('admin user created from ADMIN_EMAIL', { userId });
      return { userId, created: true };
    } catch (error) {
      // Another instance starting at the same time registered it first.
      if (error instanceof DomainError && error.code === IdentityErrors.emailTaken)
        return { userId: null, created: false };
      throw error;
    }
  }
}
