#!/usr/bin/env node
/**
 * The guardrails `npm test` runs before Jest, in parallel: the type check over every TypeScript file,
 * ESLint, Prettier's check, and the layering rules (dependency-cruiser). Prints what failed, exits 1.
 */
import { spawn } from 'node:child_process';

const checks = [
  ['types', 'tsc', ['--noEmit', '-p', '.']],
  ['lint', 'eslint', ['.', '--max-warnings', '0']],
  ['format', 'prettier', ['--check', '.', '--log-level', 'warn']],
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
    ],
  ],
];

const run = ([name, command, args]) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npx', ['--no-install', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
