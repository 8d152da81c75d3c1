/**
 * A skipped suite is not a pass, and the test run says so itself: without EVENTSTORE_URL and
 * MONGODB_URL, Jest's output ends with one line naming both server suites and why.
 */
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

it('names the skipped server suites and why, in one line', () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning',
  };
  delete env.EVENTSTORE_URL;
  delete env.MONGODB_URL;
  const run = spawnSync(
    process.execPath,
    [
      'node_modules/jest/bin/jest.js',
      'tests/contract/esdb.event-store.test.ts',
      'tests/contract/mongo.read-store.test.ts',
    ],
    { cwd: PROJECT_ROOT, env, encoding: 'utf8' },
  );
  expect(run.status).toBe(0);
  const notice = run.stderr.split('\n').filter((l) => l.startsWith('Skipped, not passed:'));
  expect(notice).toEqual([
    'Skipped, not passed: EventStoreDB contract suite (EVENTSTORE_URL is not set); MongoDB contract suite (MONGODB_URL is not set).',
  ]);
}, 60_000);
