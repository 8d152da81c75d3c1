/**
 * docker-compose.yml without Docker: the secrets it requires (no defaults) are the ones Rentlog's
 * processes must share, the development profile (compose.dev.env) and the CI smoke script give each
 * of them, and the settings a Rentlog container gets are a configuration Rentlog starts with, in
 * production too. Every container has a DATA_DIR of its own, so a key left to a key file per container
 * (MASTER_KEY, AUDIT_SIGNING_KEY) would be a different key in each.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; ports?: string[]; networks?: string[] }>;
  networks: Record<string, { internal?: boolean } | null>;
};
const required = [...new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map(([, name]) => name))].sort();
const devProfile = Object.fromEntries(
  read('compose.dev.env')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME:?message}` (which fails when unset). */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (env[name]) return env[name];
    if (kind === '?') throw new Error(`compose refuses: ${name} unset (${rest})`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/** What the api container's process sees, compose interpolated with `env`. */
function apiEnvironment(env: Record<string, string>): Record<string, string> {
  const raw = compose.services.api.environment ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, interpolate(String(v), env)]));
}

describe('docker-compose.yml', () => {
  it('requires every key the processes must share, with no default', () => {
    expect(required).toEqual(
      expect.arrayContaining([
        'AUDIT_SIGNING_KEY',
        'BLIND_INDEX_KEY',
        'JWT_SECRET',
        'MASTER_KEY',
        'PAYMENTS_WEBHOOK_SECRET',
      ]),
    );
    for (const role of ['api', 'projector', 'worker'])
      for (const name of ['MASTER_KEY', 'AUDIT_SIGNING_KEY', 'BLIND_INDEX_KEY', 'JWT_SECRET'])
        expect([role, name, compose.services[role].environment?.[name]]).toEqual([
          role,
          name,
          expect.stringMatching(new RegExp(`^\\$\\{${name}:\\?`)),
        ]);
  });

  it('gets each of them from the development profile and from the CI smoke script', () => {
    const smoke = read('scripts/compose-smoke.sh');
    for (const name of required) {
      expect([name, devProfile[name]]).toEqual([name, expect.any(String)]);
      expect([name, smoke.includes(`echo "${name}=$(`)]).toEqual([name, true]);
    }
  });

  it('gives the containers a configuration Rentlog starts with, in production too, and none without the keys', () => {
    const dev = loadConfig(apiEnvironment(devProfile));
    expect(dev.production).toBe(false);
    const production = loadConfig(apiEnvironment({ ...devProfile, NODE_ENV: 'production' }));
    expect(production.production).toBe(true);
    expect(production.eventStoreUrl).toBe('esdb://eventstore:2113?tls=false');
    // Compose refuses a missing key; a process given none (another way of deploying) refuses too.
    const { MASTER_KEY: _m, AUDIT_SIGNING_KEY: _a, ...withoutKeys } = devProfile;
    expect(() => apiEnvironment(withoutKeys)).toThrow(/compose refuses: (MASTER_KEY|AUDIT_SIGNING_KEY) unset/);
    const environment = apiEnvironment({ ...devProfile, NODE_ENV: 'production' });
    delete environment.MASTER_KEY;
    expect(() => loadConfig(environment)).toThrow(/MASTER_KEY \(or MASTER_KEY_FILE\) when MONGODB_URL is/);
  });

  it('keeps the stores on an internal network, publishing no port of theirs', () => {
    expect(compose.networks.stores).toEqual({ internal: true });
    for (const store of ['eventstore', 'mongodb']) {
      expect(compose.services[store].ports).toBeUndefined();
      expect(compose.services[store].networks).toEqual(['stores']);
    }
  });
});
