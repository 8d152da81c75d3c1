/**
 * deploy/k8s without a cluster: every manifest validates against the Kubernetes API's own schemas
 * (the validators kubernetes-models compiles from the Kubernetes OpenAPI document; CI also runs
 * kubeconform -strict on them), and the manifests fit together: selectors match their pods,
 * Services and probes name ports the containers have, the probes are the ops endpoints, envFrom
 * names the ConfigMap and Secret here, the grace period covers the drain, every Deployment with
 * a PodDisruptionBudget keeps a pod to spare, and the ConfigMap plus real secrets is a configuration
 * Rentlog starts with in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const DIR = path.join(PROJECT_ROOT, 'deploy/k8s');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
const manifests: Array<Manifest & { file: string }> = files.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(DIR, file), 'utf8')).map((d) => ({ ...(d.toJS() as Manifest), file })),
);
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The kubernetes-models class of a manifest: `apps/v1` + `Deployment` is kubernetes-models/apps/v1/Deployment. */
async function validatorOf(m: Manifest): Promise<new (data: unknown) => { validate(): void }> {
  const module = (await import(`kubernetes-models/${m.apiVersion}/${m.kind}`)) as Record<string, unknown>;
  return module[m.kind] as new (data: unknown) => { validate(): void };
}

describe('deploy/k8s', () => {
  it('holds Deployments for the api, projector and worker, Services, a ConfigMap, a Secret and PodDisruptionBudgets', () => {
    expect(ofKind('Deployment').map((d) => d.metadata.name)).toEqual(
      expect.arrayContaining(['rentlog-api', 'rentlog-projector', 'rentlog-worker']),
    );
    expect(ofKind('Service').map((s) => s.metadata.name)).toContain('rentlog-api');
    expect(ofKind('ConfigMap')).toHaveLength(1);
    expect(ofKind('Secret')).toHaveLength(1);
    expect(ofKind('PodDisruptionBudget')).toHaveLength(3);
  });

  it.each(files)('%s validates against the Kubernetes schemas', async (file) => {
    for (const m of manifests.filter((x) => x.file === file)) {
      const Model = await validatorOf(m);
      expect(() => new Model(m).validate()).not.toThrow();
    }
  });

  it('the validators refuse what the API server would (they are not a formality)', async () => {
    const api = ofKind('Deployment').find((d) => d.metadata.name === 'rentlog-api')!;
    const Model = await validatorOf(api);
    const broken = structuredClone(api);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Model(broken).validate()).toThrow(/containerPort must be integer/);
    const noImage = structuredClone(api);
    noImage.spec.template.spec.containers = [{ image: 'x' }];
    expect(() => new Model(noImage).validate()).toThrow(/name/);
  });

  it('lists every manifest but the Secret placeholder in kustomization.yaml', () => {
    const kustomization = parse(readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== 'secret.yaml').sort());
  });

  it('selects its own pods, probes the ops endpoints on ports the containers have, and drains within the grace period', () => {
    const config = ofKind('ConfigMap')[0];
    const drain = Number(config.data!.SHUTDOWN_DRAIN_DELAY_MS) + Number(config.data!.SHUTDOWN_TIMEOUT_MS);
    for (const d of ofKind('Deployment')) {
      const pod = d.spec.template;
      expect(matches(d.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
      expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drain);
      // Projectors of two versions never run side by side (README, "Rolling restarts and upgrades").
      if (d.metadata.name === 'rentlog-projector') expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      else expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      for (const c of pod.spec.containers) {
        const ports = (c.ports as Array<{ name: string }>).map((p) => p.name);
        expect([d.metadata.name, c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path]).toEqual([
          d.metadata.name,
          '/health/ready',
          '/health/live',
        ]);
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe])
          expect(ports).toContain(probe.httpGet.port);
        expect(c.command.slice(-2)).toEqual(['start', d.metadata.name.replace('rentlog-', '')]);
        const refs = (c.envFrom as Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>).map(
          (e) => e.configMapRef?.name ?? e.secretRef?.name,
        );
        expect(refs).toEqual([config.metadata.name, ofKind('Secret')[0].metadata.name]);
      }
    }
    for (const s of ofKind('Service')) {
      const targets = ofKind('Deployment').filter((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
      expect([s.metadata.name, targets.length]).toEqual([s.metadata.name, 1]);
      const ports = (targets[0].spec.template.spec.containers[0].ports as Array<{ name: string }>).map((p) => p.name);
      for (const p of s.spec.ports as Array<{ targetPort: string }>) expect(ports).toContain(p.targetPort);
    }
    for (const b of ofKind('PodDisruptionBudget')) {
      const targets = ofKind('Deployment').filter((d) =>
        matches(b.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect([b.metadata.name, targets.length]).toEqual([b.metadata.name, 1]);
      expect(b.spec.minAvailable).toBeLessThan(targets[0].spec.replicas); // a drain may take one pod
    }
  });

  it('gives the pods a production configuration once the Secret holds real values, and refuses the placeholders', () => {
    const data = ofKind('ConfigMap')[0].data!;
    const placeholders = ofKind('Secret')[0].stringData!;
    const secrets = Object.fromEntries(
      readFileSync(path.join(PROJECT_ROOT, 'compose.dev.env'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z0-9_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
        .filter(([k]) => k in placeholders),
    );
    expect(Object.keys(secrets).sort()).toEqual(Object.keys(placeholders).sort());
    const config = loadConfig({ ...data, ...secrets });
    expect(config.production).toBe(true);
    expect(config.eventStoreUrl).toMatch(/^esdb\+discover:\/\//);
    expect(config.mongodbReadPreference).toBe('secondaryPreferred');
    expect(config.opsPort).toBe(9464);
    expect(() => loadConfig({ ...data, ...placeholders })).toThrow(/Invalid configuration/);
  });
});
