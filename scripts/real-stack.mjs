#!/usr/bin/env node
/**
 * The real-stack suites, and the proof that they ran: a skipped suite is not a pass.
 *
 *   node scripts/real-stack.mjs                  run them (EVENTSTORE_URL and MONGODB_URL must be set):
 *                                                the contract suites of both ports on both adapters, the
 *                                                rebuild-resume suite and the end-to-end tests (the rental
 *                                                story with the api, projector and worker apart)
 *   node scripts/real-stack.mjs --verify <file>  check a Jest JSON report (`jest --json --outputFile`)
 *                                                of a whole run made with the URLs set (the CI workflow)
 *
 * Exits 1 when the URLs are missing, a test failed or was skipped, or a real-store suite is absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Suites (by their describe titles) that only run against the servers, and must have passed. */
const REQUIRED = [
  /^EventStore contract: EsdbEventStore /,
  /^EventStore contract: EsdbEventStore scoped to a stream prefix /,
  /^EsdbEventStore against the server /,
  /^ReadStore contract: MongoDB /,
  /^RateLimitStore contract: MongoDB /,
  /^KeyVault contract: MongoDB /,

  /^rebuilds a restart interrupts \(EventStoreDB \+ MongoDB\) /,
  /\(EventStoreDB \+ MongoDB\)$/, // the end-to-end tests name the stores they ran on
  /^the rental story, end to end runs a rental .*\(EventStoreDB \+ MongoDB\)$/,
];
const SUITES = ['tests/contract', 'tests/integration/projections/rebuild-resume.test.ts', 'tests/e2e'];

function fail(message) {
  process.stderr.write(`real-stack: ${message}\n`);
  process.exit(1);
}

function verify(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const tests = report.testResults.flatMap((r) => r.assertionResults ?? []);
  const problems = [];
  const failed = tests.filter((t) => t.status === 'failed');
  if (failed.length > 0 || report.numFailedTestSuites > 0)
    problems.push(`${failed.length} failed: ${failed.map((t) => t.fullName).join('; ')}`);
  const skipped = tests.filter((t) => t.status !== 'passed' && t.status !== 'failed');
  if (skipped.length > 0) problems.push(`${skipped.length} skipped: ${skipped.map((t) => t.fullName).join('; ')}`);
  for (const pattern of REQUIRED) {
    const ran = tests.filter((t) => t.status === 'passed' && pattern.test(t.fullName));
    if (ran.length === 0) problems.push(`no passing test matches ${pattern}`);
  }
  const realStore = tests.filter((t) => t.status === 'passed' && REQUIRED.some((p) => p.test(t.fullName)));
  if (problems.length > 0) fail(problems.join('\n'));
  process.stdout.write(
    `real-stack: ${tests.length} tests passed, ${realStore.length} of them against EventStoreDB and MongoDB\n`,
  );
}

const [flag, file] = process.argv.slice(2);
if (flag === '--verify') {
  if (!file) fail('usage: real-stack.mjs --verify <jest-report.json>');
  verify(file);
} else {
  if (!process.env.EVENTSTORE_URL || !process.env.MONGODB_URL)
    fail('set EVENTSTORE_URL and MONGODB_URL (docker compose runs it with them: npm run test:real-stack:docker)');
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'rentlog-real-stack-')), 'jest.json');
  const jest = spawnSync('npx', ['--no-install', 'jest', ...SUITES, '--json', `--outputFile=${report}`], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning' },
  });
  if (jest.status !== 0) fail(`jest exited with ${jest.status}`);
  verify(report);
}
