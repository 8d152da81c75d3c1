/**
 * deploy/compose.cluster.yml without Docker: the services a scaled-out Rentlog needs, each with a
 * health check, started in order (depends_on conditions that name services which exist), and
 * settings that point every Rentlog process at the whole cluster: the EventStoreDB client's own
 * parser finds the three nodes behind esdb+discover://, the MongoDB driver finds the replica set
 * that mongo-init initiates, with majority writes; nginx balances over the api services; and the
 * api's environment is a configuration Rentlog starts with in production.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString.js';
import { MongoClient } from 'mongodb';
import { parse } from 'yaml';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  networks?: string[];
  restart?: string;
  stop_grace_period?: string;
}

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const compose = parse(read('deploy/compose.cluster.yml'), { merge: true }) as {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
};
const services = compose.services;
const named = (prefix: string) => Object.keys(services).filter((s) => s.startsWith(prefix));
const rentlogServices = Object.keys(services).filter((s) => /^(api|projector|worker)-\d$/.test(s));
const devProfile = Object.fromEntries(
  read('compose.dev.env')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME:?message}`. */
const interpolate = (value: string, env: Record<string, string>): string =>
  value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (env[name]) return env[name];
    if (kind === '?') throw new Error(`compose refuses: ${name} unset (${rest})`);
    return kind === '-' ? (rest ?? '') : '';
  });
const environmentOf = (service: string, env: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(services[service].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]),
  );

describe('deploy/compose.cluster.yml', () => {
  it('runs three EventStoreDB nodes, three mongod with an init job, two of each Rentlog role and nginx', () => {
    expect(named('eventstore-')).toEqual(['eventstore-1', 'eventstore-2', 'eventstore-3']);
    expect(named('mongo-')).toEqual(['mongo-1', 'mongo-2', 'mongo-3', 'mongo-init']);
    expect(rentlogServices.sort()).toEqual(['api-1', 'api-2', 'projector-1', 'projector-2', 'worker-1', 'worker-2']);
    expect(services.nginx.image).toMatch(/^nginx:/);
    for (const s of rentlogServices)
      expect([s, services[s].command?.slice(-2)]).toEqual([s, ['start', s.split('-')[0]]]);
  });

  it('gives every long-running service a health check, and the Rentlog ones their readiness endpoint', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'mongo-init') {
        expect(service.healthcheck).toBeUndefined(); // a job: its exit code is what counts
        expect(service.restart).toBe('no');
        continue;
      }
      expect([name, service.healthcheck?.test?.length]).toEqual([name, expect.any(Number)]);
    }
    for (const s of rentlogServices) {
      const port = s.startsWith('api') ? services[s].environment?.PORT : services[s].environment?.OPS_PORT;
      expect([s, services[s].healthcheck!.test.join(' ')]).toEqual([
        s,
        expect.stringContaining(`http://127.0.0.1:${port}/health/ready`),
      ]);
    }
    for (const s of named('eventstore-')) expect(services[s].healthcheck!.test.join(' ')).toMatch(/leader\|follower/);
  });

  it('starts each service after what it needs is healthy (or, for the init job, done), with no cycle', () => {
    const allowed = ['service_healthy', 'service_completed_successfully'];
    for (const [name, service] of Object.entries(services))
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, target, target in services]).toEqual([name, target, true]);
        expect([name, target, allowed.includes(condition)]).toEqual([name, target, true]);
        // Only the init job is waited for to finish; every other dependency must be healthy.
        expect([name, target, condition]).toEqual([
          name,
          target,
          target === 'mongo-init' ? 'service_completed_successfully' : 'service_healthy',
        ]);
      }
    for (const s of rentlogServices)
      expect(Object.keys(services[s].depends_on ?? {})).toEqual(
        expect.arrayContaining(['eventstore-1', 'eventstore-2', 'eventstore-3', 'mongo-init']),
      );
    expect(Object.keys(services['mongo-init'].depends_on ?? {})).toEqual(['mongo-1', 'mongo-2', 'mongo-3']);
    for (const api of ['api-1', 'api-2'])
      expect(Object.keys(services[api].depends_on ?? {}).some((d) => d.startsWith('projector-'))).toBe(true);
    expect(Object.keys(services.nginx.depends_on ?? {})).toEqual(['api-1', 'api-2']);
    // No cycle: every service can be placed after its dependencies.
    const placed = new Set<string>();
    for (let round = 0; round < Object.keys(services).length; round += 1)
      for (const [name, service] of Object.entries(services))
        if (Object.keys(service.depends_on ?? {}).every((d) => placed.has(d))) placed.add(name);
    expect(placed.size).toBe(Object.keys(services).length);
  });

  it('points every Rentlog process at all three EventStoreDB nodes, discovering the leader', () => {
    const nodes = named('eventstore-');
    for (const node of nodes) {
      const env = services[node].environment!;
      expect(env.EVENTSTORE_CLUSTER_SIZE).toBe(String(nodes.length));
      expect(env.EVENTSTORE_GOSSIP_SEED.split(',').sort()).toEqual(
        nodes.filter((n) => n !== node).map((n) => `${n}:2113`),
      );
    }
    for (const s of rentlogServices) {
      const options = parseConnectionString(environmentOf(s, devProfile).EVENTSTORE_URL);
      expect([s, options]).toMatchObject([
        s,
        {
          dnsDiscover: true,
          tls: false,
          nodePreference: 'leader',
          hosts: nodes.map((n) => ({ address: n, port: 2113 })),
        },
      ]);
    }
  });

  it('points them at the replica set mongo-init initiates, with majority journaled writes', async () => {
    const init = services['mongo-init'].command!.join(' ');
    for (const s of rentlogServices) {
      const client = new MongoClient(environmentOf(s, devProfile).MONGODB_URL); // parses, connects to nothing
      const { hosts, replicaSet, writeConcern } = client.options;
      expect(hosts.map(String)).toEqual(['mongo-1:27017', 'mongo-2:27017', 'mongo-3:27017']);
      expect(init).toContain(`_id: '${replicaSet}'`);
      for (const host of hosts) expect(init).toContain(`host: '${String(host)}'`);
      expect(writeConcern).toMatchObject({ w: 'majority', journal: true });
      await client.close();
    }
  });

  it("balances over the api services in nginx's configuration, on the port they listen on", () => {
    const conf = read('deploy/nginx/rentlog.conf');
    const upstream = [...conf.matchAll(/^\s*server ([\w-]+):(\d+)/gm)].map(([, host, port]) => `${host}:${port}`);
    expect(upstream).toEqual(['api-1', 'api-2'].map((a) => `${a}:${services[a].environment!.PORT}`));
    expect(conf).toMatch(/proxy_next_upstream error/);
    expect(services.nginx.ports).toEqual(['8080:8080']);
  });

  it('gives the api a production configuration: cluster URLs, secondary reads for unwaited queries, a bounded drain', () => {
    const config = loadConfig(environmentOf('api-1', { ...devProfile, NODE_ENV: 'production' }));
    expect(config.production).toBe(true);
    expect(config.eventStoreUrl).toMatch(/^esdb\+discover:\/\//);
    expect(config.mongodbReadPreference).toBe('secondaryPreferred');
    expect(config.shutdown.drainDelayMs).toBeGreaterThan(0);
    // Drain delay and shutdown bound fit in the time compose waits before it kills the container.
    const grace = Number.parseInt(services['api-1'].stop_grace_period!, 10) * 1000;
    expect(config.shutdown.drainDelayMs + config.shutdown.timeoutMs).toBeLessThan(grace);
  });

  it('keeps the stores on an internal network with no published port; nginx alone publishes one', () => {
    expect(compose.networks.stores).toEqual({ internal: true });
    for (const [name, service] of Object.entries(services)) {
      if (name === 'nginx') continue;
      expect([name, service.ports]).toEqual([name, undefined]);
      expect([name, service.networks]).toEqual([name, ['stores']]);
    }
  });
});
