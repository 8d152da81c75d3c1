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

  describe('OpenID providers', () => {
    const corp = {
      OIDC_PROVIDERS: 'corp',
      OIDC_CORP_ISSUER: 'https://id.corp.example',
      OIDC_CORP_CLIENT_ID: 'rentlog',
      OIDC_CORP_CLIENT_SECRET: 'very-secret-value',
    };
    it('has none by default, and a state lifetime of 10 minutes', () =>
      expect(loadConfig({}).oidc).toEqual({ providers: [], stateTtlSeconds: 600 }));
    it('reads each named provider from its own variables, with default scopes', () => {
      const config = loadConfig({
        ...corp,
        OIDC_PROVIDERS: 'corp,lab2',
        OIDC_LAB2_ISSUER: 'http://127.0.0.1:4000',
        OIDC_LAB2_CLIENT_ID: 'x',
        OIDC_LAB2_CLIENT_SECRET: 'y',
        OIDC_LAB2_SCOPES: 'openid email',
        OIDC_STATE_TTL_SECONDS: '300',
      });
      expect(config.oidc).toEqual({
        stateTtlSeconds: 300,
        providers: [
          {
            name: 'corp',
            issuer: 'https://id.corp.example',
            clientId: 'rentlog',
            clientSecret: 'very-secret-value',
            scopes: 'openid email profile',
          },
          { name: 'lab2', issuer: 'http://127.0.0.1:4000', clientId: 'x', clientSecret: 'y', scopes: 'openid email' },
        ],
      });
    });
    it.each([
      [{ OIDC_PROVIDERS: 'Corp' }, /^Invalid configuration: OIDC_PROVIDERS="Corp" must match/],
      [{ OIDC_PROVIDERS: 'corp,corp' }, /OIDC_PROVIDERS="corp,corp" names a provider twice/],
      [{ ...corp, OIDC_CORP_CLIENT_ID: '' }, /^Invalid configuration: OIDC_CORP_CLIENT_ID must be set/],
      [{ ...corp, OIDC_CORP_ISSUER: 'ftp://id' }, /^Invalid configuration: OIDC_CORP_ISSUER="ftp:\/\/id" must match/],
      [{ ...corp, OIDC_CORP_ISSUER: 'http://id.corp.example' }, /OIDC_CORP_ISSUER=.* must be https/],
      [
        { ...corp, OIDC_CORP_ISSUER: 'http://127.0.0.1:4000', NODE_ENV: 'production' },
        /OIDC_CORP_ISSUER=.* must be https \(http only on a loopback address outside production\)/,
      ],
      [{ ...corp, OIDC_CORP_SCOPES: 'email profile' }, /OIDC_CORP_SCOPES="email profile" must include openid/],
      [{ OIDC_STATE_TTL_SECONDS: '5' }, /OIDC_STATE_TTL_SECONDS="5" must be >= 60/],
    ])('stops with one line naming the variable: %p', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
    it('never echoes a client secret', () => {
      const env = { ...corp, OIDC_CORP_CLIENT_SECRET: 'x'.repeat(5000) };
      expect(() => loadConfig(env)).toThrow(/^Invalid configuration: OIDC_CORP_CLIENT_SECRET=\(hidden\) /);
      expect(() => loadConfig(env)).not.toThrow(/xxxxx/);
    });
  });
});
