import type { Decider } from '../shared/decider.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import type { ApiKeyCommand } from './api-key.commands.js';
import { apiKeyStream, type ApiKeyEvent } from './api-key.events.js';
import { IdentityErrors } from './identity.errors.js';

export type ApiKeyState =
  | { status: 'none' }
  | {
      status: 'active' | 'revoked';
      apiKeyId: string;
      name: string;
      roles: string[];
      expiresAt: string | null;
      /** The last minute a use was recorded in (null: never). */
      lastUseMinute?: string | null;
    };

/** Roles a key may act with: any but `customer` (a customer acts through its own sign-in). */
export const API_KEY_ROLES = ['admin', 'staff', 'analyst', 'auditor'] as const;

function decide(command: ApiKeyCommand, state: ApiKeyState): ApiKeyEvent[] {
  switch (command.type) {
    case 'CreateApiKey': {
      if (state.status !== 'none') throw new DomainError(IdentityErrors.invalid, 'This API key exists already');
      const { now, name, roles, expiresAt, ...facts } = command.data;
      const problems: Array<Record<string, unknown>> = [];
      if (name.trim() === '') problems.push({ field: 'name', message: 'must not be blank' });
      if (roles.length === 0) problems.push({ field: 'roles', message: 'must name at least one role' });
      if (new Set(roles).size !== roles.length) problems.push({ field: 'roles', message: 'must not repeat a role' });
      const foreign = roles.filter((r) => !(API_KEY_ROLES as readonly string[]).includes(r));
      if (foreign.length > 0)
        problems.push({
          field: 'roles',
          message: `a key may act as ${API_KEY_ROLES.join(', ')} only, not ${foreign.join(', ')}`,
        });
      if (expiresAt !== null && !(Date.parse(expiresAt) > Date.parse(now)))
        problems.push({ field: 'expiresAt', message: 'must be in the future' });
      if (problems.length > 0)
        throw new DomainError(IdentityErrors.apiKeyDefinitionInvalid, 'The API key is not valid', problems);
      return [{ type: 'ApiKeyCreated', data: { ...facts, name: name.trim(), roles, expiresAt, createdAt: now } }];
    }
    case 'RevokeApiKey':
      if (state.status === 'none') throw new DomainError(IdentityErrors.apiKeyNotFound, 'No such API key');
      // Revoking a revoked key changes nothing (a retried DELETE).
      if (state.status === 'revoked') return [];
      return [{ type: 'ApiKeyRevoked', data: { apiKeyId: state.apiKeyId, revokedAt: command.data.now } }];
    case 'RecordApiKeyUse': {
      if (state.status === 'none') throw new DomainError(IdentityErrors.apiKeyNotFound, 'No such API key');
      const { minute, ipAddress, userAgent, now } = command.data;
      if (state.lastUseMinute !== undefined && state.lastUseMinute !== null && state.lastUseMinute >= minute) return [];
      return [{ type: 'ApiKeyUsed', data: { apiKeyId: state.apiKeyId, minute, ipAddress, userAgent, usedAt: now } }];
    }
    default:
      return assertNever(command, 'API key command');
  }
}

function evolve(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { apiKeyId, name, roles, expiresAt } = event.data;
      return { status: 'active', apiKeyId, name, roles, expiresAt };
    }
    case 'ApiKeyRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    case 'ApiKeyUsed':
      return state.status === 'none' ? state : { ...state, lastUseMinute: event.data.minute };
    default:
      return assertNever(event, 'API key event');
  }
}

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  streamOf: apiKeyStream,
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
