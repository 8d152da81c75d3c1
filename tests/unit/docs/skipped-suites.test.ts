/**
 * A skipped suite is not a pass, and the test run says so itself: Jest runs
 * tests/support/skipped-suites.reporter.mjs beside its default reporter, and without EVENTSTORE_URL
 * and MONGODB_URL the line it prints for the two server suites (whose titles say why) is the very
 * line the README quotes.
 */
import { jest } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SkippedSuitesReporter from '../../support/skipped-suites.reporter.mjs';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
/** The title a contract file gives its suite when its URL is unset (its own, or through `onMongo`). */
function skippedTitle(file: string): string {
  const source = read(file);
  const own = /describe\.skip\('([^']+)'/.exec(source);
  if (own) return own[1];
  return `${/onMongo\('([^']+)'/.exec(source)![1]} (MONGODB_URL is not set)`;
}

function printed(results: Parameters<SkippedSuitesReporter['onRunComplete']>[1]): string {
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    new SkippedSuitesReporter().onRunComplete(undefined, results);
    return write.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    write.mockRestore();
  }
}
const pending = (suite: string) => ({ status: 'pending', title: 'a test', ancestorTitles: [suite] });

describe('the notice of skipped suites', () => {
  it('is a reporter of the Jest configuration, beside the default one', async () => {
    const config = (await import(pathToFileURL(path.join(PROJECT_ROOT, 'jest.config.js')).href)) as {
      default: { reporters: string[] };
    };
    expect(config.default.reporters).toEqual(['default', '<rootDir>/tests/support/skipped-suites.reporter.mjs']);
  });

  it('is, without the URLs, the one line the README quotes', () => {
    const serverSuites = readdirSync(path.join(PROJECT_ROOT, 'tests/contract'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `tests/contract/${f}`)
      .filter((f) => /describe\.skip\(|onMongo\(/.test(read(f)));
    expect(serverSuites.length).toBeGreaterThanOrEqual(6);
    const line = printed({
      testResults: [
        ...serverSuites.map((f) => ({ testResults: [pending(skippedTitle(f))] })),
        { testResults: [{ status: 'passed', title: 'appends', ancestorTitles: ['SqliteEventStore contract'] }] },
      ],
    });
    expect(line).toBe(
      'Skipped, not passed: EventStoreDB contract suite (EVENTSTORE_URL is not set); MongoDB GridFS blob store contract suite (MONGODB_URL is not set); MongoDB contract suite (MONGODB_URL is not set); MongoDB job store contract suite (MONGODB_URL is not set); MongoDB key vault contract suite (MONGODB_URL is not set); MongoDB lease contract suite (MONGODB_URL is not set); MongoDB rate-limit store contract suite (MONGODB_URL is not set).\n',
    );
    expect(read('README.md')).toContain(line.trimEnd());
  });

  it('is nothing when nothing was skipped', () => {
    expect(printed({ testResults: [{ testResults: [{ status: 'passed', title: 't', ancestorTitles: [] }] }] })).toBe(
      '',
    );
  });
});
