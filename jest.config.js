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
  // The default output, then one line naming the skipped suites and why (tests/support/skipped-suites.reporter.mjs).
  reporters: ['default', '<rootDir>/tests/support/skipped-suites.reporter.mjs'],
};
