import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
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
      SHOP_TIMEZONE: 'Europe/Berlin',
      BLIND_INDEX_KEY,
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      mongodbUrl: 'mongodb://localhost:27017/?replicaSet=rs0',
      currency: 'USD',
      shopTimeZone: 'Europe/Berlin',
    });
  });

  it('reads MFA_REQUIRED_ROLES and refuses a role that does not exist', () => {
    expect(loadConfig({ MFA_REQUIRED_ROLES: 'admin, staff' }).mfa).toEqual({
      issuer: 'Rentlog',
      requiredRoles: ['admin', 'staff'],
    });
    expect(() => loadConfig({ MFA_REQUIRED_ROLES: 'admin,root' })).toThrow(/MFA_REQUIRED_ROLES/);
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
    [{ SHOP_OPENS_AT: '9am' }, /^Invalid configuration: SHOP_OPENS_AT="9am" must match/],
    [{ SHOP_OPENS_AT: '24:00' }, /SHOP_OPENS_AT="24:00"/],
    [{ SHOP_TIMEZONE: 'Mars/Olympus' }, /^Invalid configuration: SHOP_TIMEZONE=Mars\/Olympus is not an IANA time zone/],
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
        {
          ...corp,
          OIDC_CORP_ISSUER: 'http://127.0.0.1:4000',
          NODE_ENV: 'production',
          JWT_SECRET: 'j'.repeat(32),
          PAYMENTS_WEBHOOK_SECRET: 'w'.repeat(16),
        },
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

describe('configuration of the production stores', () => {
  const key = { BLIND_INDEX_KEY: 'k'.repeat(32) };

  it('refuses kurrentdb:// (the 6.2.1 client parses esdb:// only) with one line saying what to write', () => {
    for (const url of ['kurrentdb://localhost:2113?tls=false', 'kurrentdb+discover://cluster:2113']) {
      expect(() => loadConfig({ EVENTSTORE_URL: url, ...key })).toThrow(
        /^Invalid configuration: EVENTSTORE_URL=\(hidden\) uses kurrentdb:\/\/, .*write esdb:\/\//,
      );
    }
  });

  it('accepts only connection strings the EventStoreDB client itself parses, never echoing them', () => {
    for (const url of [
      'esdb://localhost:2113?tls=false',
      'esdb+discover://a:2113,b:2113?tls=true&nodePreference=leader',
    ]) {
      expect(loadConfig({ EVENTSTORE_URL: url, ...key }).eventStoreUrl).toBe(url);
      expect(() => EventStoreDBClient.connectionString(url)).not.toThrow();
    }
    const broken = 'esdb://admin:s3cret@localhost:2113?tls=maybe';
    expect(() => loadConfig({ EVENTSTORE_URL: broken, ...key })).toThrow(
      /not a connection string .*expected true or false/,
    );
    expect(() => loadConfig({ EVENTSTORE_URL: broken, ...key })).not.toThrow(/s3cret/);
  });

  it('keeps request bodies below what one append may hold', () => {
    expect(loadConfig({})).toMatchObject({ bodyLimitBytes: 524288, eventStoreMaxAppendBytes: 1048576 });
    expect(() => loadConfig({ BODY_LIMIT_BYTES: '1048576' })).toThrow(
      /BODY_LIMIT_BYTES=1048576 must be below EVENTSTORE_MAX_APPEND_SIZE=1048576/,
    );
    expect(loadConfig({ BODY_LIMIT_BYTES: '1048576', EVENTSTORE_MAX_APPEND_SIZE: '4194304' }).bodyLimitBytes).toBe(
      1048576,
    );
  });

  it('takes a stream prefix of the shape the scoped store accepts', () => {
    expect(loadConfig({ EVENTSTORE_STREAM_PREFIX: 'e2e1a2b_' }).eventStoreStreamPrefix).toBe('e2e1a2b_');
    expect(() => loadConfig({ EVENTSTORE_STREAM_PREFIX: '$all' })).toThrow(/EVENTSTORE_STREAM_PREFIX/);
  });

  it('refuses to start in production without the shared secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET and PAYMENTS_WEBHOOK_SECRET must be set with NODE_ENV=production/,
    );
    const secrets = { JWT_SECRET: 'j'.repeat(32), PAYMENTS_WEBHOOK_SECRET: 'w'.repeat(16) };
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).production).toBe(true);
  });

  it('refuses to start in production on the shared stores without the keys every process must share', () => {
    const secrets = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(32), PAYMENTS_WEBHOOK_SECRET: 'w'.repeat(16) };
    const stores = {
      ...secrets,
      ...key,
      EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false',
      MONGODB_URL: 'mongodb://m/',
    };
    expect(() => loadConfig(stores)).toThrow(
      'Invalid configuration: MASTER_KEY (or MASTER_KEY_FILE) when MONGODB_URL is, and AUDIT_SIGNING_KEY when EVENTSTORE_URL is must be set with NODE_ENV=production',
    );
    const auditKey = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64');
    const keys = { MASTER_KEY: 'a'.repeat(64), AUDIT_SIGNING_KEY: auditKey };
    expect(loadConfig({ ...stores, ...keys }).production).toBe(true);
    expect(
      loadConfig({ ...stores, MASTER_KEY_FILE: '/run/secrets/master.key', AUDIT_SIGNING_KEY: auditKey }).production,
    ).toBe(true);
    // Outside production, and on the embedded stores (one DATA_DIR), the key files still do.
    expect(loadConfig({ ...stores, NODE_ENV: 'development' }).production).toBe(false);
    expect(loadConfig(secrets).production).toBe(true);
  });
});
