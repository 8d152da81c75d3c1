/** Jest in ESM mode (Nest 12 is ESM-only); swc compiles TypeScript with decorator metadata. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The fault suite runs apart (`npm run test:faults`, jest.faults.config.js): real crashes and strace.
  testPathIgnorePatterns: ['/node_modules/', '/tests/faults/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30000,
  // Temporary files (every test's DATA_DIR) on the RAM-backed /dev/shm where there is one: see the file.
  globalSetup: '<rootDir>/tests/support/ram-tmpdir.mjs',
  globalTeardown: '<rootDir>/tests/support/ram-tmpdir.teardown.mjs',
  // Jest's default on 2 cores is one worker (cores - 1), and one worker runs the files in band: half the
  // machine idle while a file waits on a child process, a browser or a database. One worker per core.
  maxWorkers: '100%',
  // ESM test files leave their module graph behind in the worker; a worker past this much heap after a
  // file is replaced, so the collector never works through gigabytes of dead Nest apps.
  workerIdleMemoryLimit: '1GB',
  // The default output, then one line naming the skipped suites and why (tests/support/skipped-suites.reporter.mjs).
  reporters: ['default', '<rootDir>/tests/support/skipped-suites.reporter.mjs'],
};
