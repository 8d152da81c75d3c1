/** The fault suite (tests/faults): real servers, kill -9, strace fault injection. `npm run test:faults`; .ci/run runs it. */
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/tests/faults'],
  testMatch: ['**/*.fault.test.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 240000,
};
