/**
 * `npm run sbom`, as .ci/run runs it: a CycloneDX 1.6 JSON SBOM of Rentlog with every installed
 * package, each direct dependency at the exact version package.json pins, development-only packages marked.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

interface Component {
  group?: string;
  name: string;
  version: string;
  purl: string;
  properties?: Array<{ name: string; value: string }>;
}

const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('lists every direct dependency at its pinned version, development-only packages marked', () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-sbom-'));
  const file = path.join(dir, 'sbom.cdx.json');
  const run = spawnSync('npm', ['run', '--silent', 'sbom', '--', '--output-file', file], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  expect(run.status).toBe(0);
  const bom = JSON.parse(readFileSync(file, 'utf8'));
  expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  expect(bom.metadata.component).toMatchObject({ name: 'rentlog', version: pkg.version });
  const components = bom.components as Component[];
  const top = (name: string) =>
    components.find(
      (c) =>
        (c.group ? `${c.group}/${c.name}` : c.name) === name &&
        c.properties?.some((p) => p.name === 'cdx:npm:package:path' && p.value === `node_modules/${name}`),
    );
  const dev = (c: Component | undefined) => c?.properties?.some((p) => p.name === 'cdx:npm:package:development');
  for (const [name, version] of Object.entries(pkg.dependencies)) {
    expect([name, top(name)?.version, dev(top(name))]).toEqual([name, version, false]);
    expect(top(name)?.purl).toContain(`@${version}`);
  }
  // a dev dependency is marked unless a production package needs it too (@types/node)
  for (const [name, version] of Object.entries(pkg.devDependencies))
    expect([name, top(name)?.version]).toEqual([name, version]);
  expect(['jest', '@stoplight/spectral-core', 'eslint-plugin-security'].map((n) => dev(top(n)))).toEqual([
    true,
    true,
    true,
  ]);
}, 120_000);
