import { createLogger } from '../../infrastructure/logging/logger.js';

/** The app's logger (winston, JSON), writing nothing: for components under test that take a logger. */
export const silentLogger = createLogger('test', { silent: true });
