/**
 * `npm run jobs -- status | retry <id>` (`rentlog jobs`), run on the data directory of a running app,
 * as an operator runs it beside a worker: it lists what GET /v1/jobs answers and retries a dead job.
 */
import { PassThrough } from 'node:stream';
import { jobsCommand } from '../../../bin/cli/jobs.cli.js';
import { loadConfig } from '../../../infrastructure/config/config.js';
import { createLogger } from '../../../infrastructure/logging/logger.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { CHEAP_PASSWORD_HASHING } from '../../support/test-env.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ JOBS_RETRY_ATTEMPTS: '1' });
  const now = t.infra.clock.now();
  await t.infra.jobs.enqueue(
    { id: 'cli-dead-1', type: 'test.unhandled', queue: 'reports', payload: {}, runAt: now },
    now,
  );
  await t.worker.jobs.drain();
});
afterAll(() => t.close());

async function jobs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const config = loadConfig({ ...CHEAP_PASSWORD_HASHING, DATA_DIR: t.config.dataDir });
  const collect = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const [out, err] = [collect(), collect()];
  const logger = createLogger('cli-test', { level: 'warn', stream: new PassThrough() });
  const code = await jobsCommand(config, logger, args, { out: out.stream, err: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

it('status: the queues, the schedules, the live worker and the dead job with its last error', async () => {
  const { code, stdout } = await jobs(['status']);
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  expect(lines[0]).toBe('queue\tpending\trunning\tfailed');
  expect(lines).toContain('reports\t0\t0\t1');
  expect(lines.find((l) => l.startsWith('expire-holds\t'))).toMatch(
    /^expire-holds\t\* \* \* \* \*\tmaintenance\t\S+\tsucceeded\t\S+$/,
  );
  // Off by configuration (no RETENTION_ERASE_AFTER_DAYS); automatic audit checkpoints are on by default.
  expect(lines.find((l) => l.startsWith('erase-inactive-customers\t'))).toMatch(/\toff\t-$/);
  expect(lines.find((l) => l.startsWith('audit-checkpoint\t'))).toMatch(/^audit-checkpoint\t0 \*\/5 \* \* \* \*\t/);
  expect(stdout).toContain(`${t.infra.processes.self.id}\t`);
  expect(lines.find((l) => l.startsWith('cli-dead-1\t'))).toMatch(
    /^cli-dead-1\ttest\.unhandled\treports\t1\t\S+\tNo handler for the job type test\.unhandled in this worker$/,
  );
});

it('retry: a dead job is pending again (exit 0); a job that is not dead or unknown is exit 1, with its code', async () => {
  expect(await jobs(['retry', 'cli-dead-1'])).toMatchObject({ code: 0, stdout: 'retried cli-dead-1: pending\n' });
  expect((await t.infra.jobs.get('cli-dead-1'))?.state).toBe('pending');
  const again = await jobs(['retry', 'cli-dead-1']);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^JOB_NOT_DEAD: /);
  const unknown = await jobs(['retry', 'no-such-job']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/^JOB_NOT_FOUND: /);
});

it('answers its usage for anything else (exit 2)', async () => {
  for (const args of [[], ['retry'], ['status', 'x'], ['purge']])
    expect(await jobs(args)).toMatchObject({ code: 2, stderr: 'Usage: rentlog jobs status | retry <id>\n' });
});
