import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { apiKeyDecider } from '../../domain/identity/api-key.decider.js';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { mintApiKey } from './api-key-secrets.js';
import { CreateApiKeyCommand, RevokeApiKeyCommand } from './api-keys.command.js';

@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ input, ctx }: CreateApiKeyCommand) {
    const apiKeyId = this.deps.ids.uuid();
    const { key, secretHash } = mintApiKey(apiKeyId);
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString();
    const result = await this.path.handle(
      apiKeyDecider,
      apiKeyId,
      {
        type: 'CreateApiKey',
        data: { apiKeyId, name: input.name, roles: input.roles, secretHash, expiresAt, now: this.deps.now() },
      },
      ctx,
    );
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    const created = result.events[0];
    if (created?.type !== 'ApiKeyCreated') throw new Error('creating an API key appended no ApiKeyCreated');
    this.deps.logger.info('API key created', { apiKeyId, roles: created.data.roles });
    const { name, roles, createdAt } = created.data;
    return { apiKeyId, key, name, roles, createdAt, expiresAt, position: result.position! };
  }
}

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async execute({ apiKeyId, ctx }: RevokeApiKeyCommand) {
    if (!(await this.path.exists(apiKeyDecider, apiKeyId)))
      throw new DomainError(IdentityErrors.apiKeyNotFound, `No API key ${apiKeyId}`);
    const result = await this.path.handle(
      apiKeyDecider,
      apiKeyId,
      { type: 'RevokeApiKey', data: { now: this.deps.now() } },
      ctx,
    );
    await accessApplied(this.projections, result.position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    if (result.events.length > 0) this.deps.logger.info('API key revoked', { apiKeyId });
    return { position: result.events.length > 0 ? result.position : null };
  }
}
