/**
 * scripts/audit.mjs, the dependency audit of CI, run as CI runs it: the lock file of this repository
 * against the advisory snapshot shipped with it; lock files with known-vulnerable versions; the
 * accepted list; the fallback when npm's audit endpoint cannot be reached; the refresh from OSV records.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const SCRIPT = path.join(PROJECT_ROOT, 'scripts/audit.mjs');
const SNAPSHOT = path.join(PROJECT_ROOT, 'security/advisories.json');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function audit(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

/** A lock file with these packages installed (path under node_modules -> version). */
function lockWith(packages: Record<string, string>, extra: Record<string, object> = {}): string {
  const file = path.join(dir, 'package-lock.json');
  const entries = Object.fromEntries(Object.entries(packages).map(([where, version]) => [where, { version }]));
  writeFileSync(file, JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'x' }, ...entries, ...extra } }));
  return file;
}

it("passes this repository's lock file against the shipped snapshot", () => {
  const { code, out } = audit(['--offline']);
  expect(out).toMatch(/audit: \d+ packages in package-lock\.json; snapshot of \d{4}-\d{2}-\d{2} \(\d+ advisories/);
  expect(out).toContain('0 at or above moderate not accepted');
  expect(code).toBe(0);
});

it('fails on a locked version inside an advisory range, at or above the level, nested or not', () => {
  const lock = lockWith({
    'node_modules/semver': '7.5.1',
    'node_modules/a/node_modules/semver': '6.3.1',
    'node_modules/find-my-way': '9.0.0',
    'node_modules/cookie': '0.6.0',
    'node_modules/jsonwebtoken': '9.0.0',
    // its record lists two fixed versions in one event, "7.2.4, 6.11.4": one per major line
    'node_modules/protobufjs': '6.11.3',
    'node_modules/b/node_modules/protobufjs': '7.6.6',
  });
  const { code, out } = audit(['--offline', '--lock', lock]);
  expect(out).toContain('FAIL moderate GHSA-c2qf-rxjj-qqgw semver@7.5.1 (node_modules/semver)');
  expect(out).not.toContain('semver@6.3.1'); // the first fixed version of its branch
  expect(out).toContain('FAIL high GHSA-rrr8-f88r-h8q6 find-my-way@9.0.0');
  expect(out).toContain('note low GHSA-pxg6-pf52-xh8x cookie@0.6.0'); // below the level: shown, not failing
  expect(out).not.toContain('jsonwebtoken@9.0.0');
  expect(out).toContain('FAIL high GHSA-h755-8qp9-cq85 protobufjs@6.11.3');
  expect(out).not.toContain('protobufjs@7.6.6');
  expect(out).toContain('4 advisories match, 3 at or above moderate not accepted');
  expect(code).toBe(1);
  expect(audit(['--offline', '--lock', lock, '--level', 'high']).out).toContain('2 at or above high');
});

it('lets an accepted advisory through until its date, and fails again after it', () => {
  const lock = lockWith({ 'node_modules/minimatch': '3.0.4' });
  const accepted = path.join(dir, 'accepted.json');
  const accept = (until: string) =>
    writeFileSync(
      accepted,
      JSON.stringify({ accepted: [{ id: 'GHSA-f8q6-p94x-37v3', package: 'minimatch', until, reason: 'build only' }] }),
    );
  accept('2999-01-01');
  const ok = audit(['--offline', '--lock', lock, '--accepted', accepted]);
  expect(ok.out).toContain('note high GHSA-f8q6-p94x-37v3 minimatch@3.0.4');
  expect(ok.out).toContain('accepted until 2999-01-01: build only');
  expect(ok.code).toBe(0);
  accept('2000-01-01');
  const expired = audit(['--offline', '--lock', lock, '--accepted', accepted]);
  expect(expired.out).toContain('acceptance expired 2000-01-01');
  expect(expired.code).toBe(1);
});

it("says so and audits from the snapshot when npm's audit endpoint cannot be reached", () => {
  const lock = lockWith({ 'node_modules/path-to-regexp': '0.1.7' });
  // a real npm against a port nothing listens on
  const { code, out } = audit(['--lock', lock], {
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
  });
  expect(out).toMatch(/npm audit could not reach the registry's audit endpoint \(.*ECONNREFUSED.*\); offline only/);
  expect(out).toContain('FAIL high GHSA-9wv6-86v2-598j path-to-regexp@0.1.7');
  expect(code).toBe(1);
});

it('refreshes the snapshot from OSV records, keeping those of locked packages', () => {
  const lock = lockWith({ 'node_modules/ajv': '6.12.2' });
  const osv = path.join(dir, 'osv');
  const snapshot = path.join(dir, 'advisories.json');
  const record = (id: string, name: string) => ({
    id,
    modified: '2024-01-01T00:00:00Z',
    summary: `${name} advisory`,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '6.12.3' }] }],
      },
    ],
    database_specific: { severity: 'CRITICAL' },
  });
  mkdirSync(path.join(osv, '2024/01'), { recursive: true });
  writeFileSync(
    path.join(osv, '2024/01/GHSA-aaaa-bbbb-cccc.json'),
    JSON.stringify(record('GHSA-aaaa-bbbb-cccc', 'ajv')),
  );
  writeFileSync(
    path.join(osv, 'GHSA-dddd-eeee-ffff.json'),
    JSON.stringify(record('GHSA-dddd-eeee-ffff', 'not-locked')),
  );
  copyFileSync(SNAPSHOT, snapshot);
  const before = JSON.parse(readFileSync(snapshot, 'utf8')).advisories.length;
  const refreshed = audit(['--refresh', osv, '--lock', lock, '--advisories', snapshot, '--source', 'test']);
  expect(refreshed.out).toContain(`1 advisories added or updated; ${before + 1} in`);
  const ids = JSON.parse(readFileSync(snapshot, 'utf8')).advisories.map((a: { id: string }) => a.id);
  expect(ids).toContain('GHSA-aaaa-bbbb-cccc');
  expect(ids).not.toContain('GHSA-dddd-eeee-ffff');
  const { code, out } = audit(['--offline', '--lock', lock, '--advisories', snapshot]);
  expect(out).toContain('FAIL critical GHSA-aaaa-bbbb-cccc ajv@6.12.2');
  expect(out).toContain('FAIL moderate GHSA-v88g-cgmw-v5xw ajv@6.12.2');
  expect(code).toBe(1);
});
