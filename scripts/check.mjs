#!/usr/bin/env node
/**
 * The guardrails `npm test` runs before Jest, in parallel: the type check over every TypeScript file,
 * ESLint, Prettier's check, and the layering rules (dependency-cruiser). Prints what failed, exits 1.
 *
 * Each tool keeps its cache in the system's temporary folder, in a folder named after this checkout
 * (rentlog-check-<hash of its path>), keyed on file contents (not modification times) and on its own
 * configuration: a second run checks only what changed since the first, and a clean clone (CI)
 * checks everything. Together the four take about 90 s of CPU from scratch here, 15 to 20 s with the
 * caches. `--no-cache` checks everything, as a clean clone does. Not node_modules/.cache: a new entry
 * in node_modules makes npm's hidden lockfile out of date, and `npm ls` (the SBOM) then stops marking
 * development packages.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CACHE = path.join(os.tmpdir(), `rentlog-check-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
const cached = !process.argv.includes('--no-cache');
const when = (flags) => (cached ? flags : []);

const checks = [
  [
    'types',
    'tsc',
    ['--noEmit', '-p', '.', ...when(['--incremental', '--tsBuildInfoFile', `${CACHE}/types.tsbuildinfo`])],
  ],
  [
    'lint',
    'eslint',
    [
      '.',
      '--max-warnings',
      '0',
      ...when(['--cache', '--cache-strategy', 'content', '--cache-location', `${CACHE}/eslint/`]),
    ],
  ],
  [
    'format',
    'prettier',
    [
      '--check',
      '.',
      '--log-level',
      'warn',
      ...when(['--cache', '--cache-strategy', 'content', '--cache-location', `${CACHE}/prettier.json`]),
    ],
  ],
  [
    'layers',
    'depcruise',
    [
      'domain',
      'application',
      'infrastructure',
      'projections',
      'api',
      'bin',
      'tests',
      'bench',
      '--config',
      '.dependency-cruiser.cjs',
      ...when(['--cache', `${CACHE}/depcruise/`, '--cache-strategy', 'content']),
    ],
  ],
];

const run = ([name, command, args]) =>
  new Promise((resolve) => {
    const started = Date.now();
    // The tools' own bins (what `npx --no-install` finds), without an npm process in front of each.
    const child = spawn(path.join(root, 'node_modules', '.bin', command), args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ name, code, output, seconds: ((Date.now() - started) / 1000).toFixed(1) }));
  });

const results = await Promise.all(checks.map(run));
for (const { name, code, output, seconds } of results) {
  process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)\n`);
  if (code !== 0) process.stdout.write(`${output.trim()}\n`);
}
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
