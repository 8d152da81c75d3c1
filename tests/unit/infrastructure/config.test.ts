import path from 'node:path';
import { ConfigError, loadConfig } from '../../../infrastructure/config/config.js';

describe('configuration', () => {
  it('has defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      currency: 'EUR',
      readWaitTimeoutMs: 5000,
      logLevel: 'info',
    });
    expect(config.eventStoreUrl).toBeUndefined();
    expect(config.mongodbUrl).toBeUndefined();
  });

  it('reads and converts values', () => {
    const BLIND_INDEX_KEY = 'k'.repeat(32);
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      MONGODB_URL: 'mongodb://localhost:27017/?replicaSet=rs0',
      CURRENCY: 'USD',
      BLIND_INDEX_KEY,
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      mongodbUrl: 'mongodb://localhost:27017/?replicaSet=rs0',
      currency: 'USD',
    });
  });

  it('needs BLIND_INDEX_KEY with EventStoreDB (every process must hash emails alike)', () => {
    expect(() => loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' })).toThrow(
      /BLIND_INDEX_KEY must be set/,
    );
  });

  it('never echoes a secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short-secret' })).toThrow(
      /^Invalid configuration: JWT_SECRET=\(hidden\) .*at least 32 characters/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it.each([
    [{ ADMIN_EMAIL: 'not-an-email' }, /ADMIN_EMAIL="not-an-email" .*expected email/],
    [
      { PORT: 'eighty' },
      /^Invalid configuration: PORT="eighty" must be integer \(expected an integer >= 0 and <= 65535\)$/,
    ],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud" .*expected one of error, warn, info/],
    [{ EVENTSTORE_URL: 'http://x' }, /EVENTSTORE_URL=\(hidden\) must match/],
    [{ CURRENCY: 'euro' }, /CURRENCY="euro"/],
  ])('stops with one clear line naming the variable: %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
