import { startupWarnings } from '../../../bin/composition/processes.js';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { CHEAP_PASSWORD_HASHING } from '../../support/test-env.js';

const secrets = { JWT_SECRET: 'j'.repeat(32), PAYMENTS_WEBHOOK_SECRET: 'w'.repeat(16) };
const warned = (env: Record<string, string>, role: Parameters<typeof startupWarnings>[1]) =>
  startupWarnings(loadConfig(env), role).map((w) => w.split(' ')[0]);

describe('startupWarnings', () => {
  it('names every key made up per process and test-grade password hashing, for the roles that use them', () => {
    const bare = { ...CHEAP_PASSWORD_HASHING };
    expect(warned(bare, 'all')).toEqual(['JWT_SECRET', 'PAYMENTS_WEBHOOK_SECRET', 'ARGON2_MEMORY_KIB']);
    expect(warned(bare, 'api')).toEqual(['JWT_SECRET', 'PAYMENTS_WEBHOOK_SECRET', 'ARGON2_MEMORY_KIB']);
    expect(warned(bare, 'worker')).toEqual(['PAYMENTS_WEBHOOK_SECRET', 'ARGON2_MEMORY_KIB']);
    expect(warned(bare, 'projector')).toEqual([]);
  });

  it('is empty with real secrets and the default hashing cost', () => {
    expect(startupWarnings(loadConfig(secrets), 'all')).toEqual([]);
  });

  it('takes JWT_KEYS for a JWT key', () => {
    const keys = { JWT_KEYS: `k1:${'k'.repeat(32)}`, PAYMENTS_WEBHOOK_SECRET: 'w'.repeat(16) };
    expect(startupWarnings(loadConfig(keys), 'api')).toEqual([]);
  });
});
