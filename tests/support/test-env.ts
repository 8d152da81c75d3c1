/** argon2id at a test cost (about 0.1 ms a hash instead of 50 ms or more): the cost comes from config. */
export const CHEAP_PASSWORD_HASHING = { ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1', ARGON2_PARALLELISM: '1' };

/** Budgets no functional test reaches (tests/security/rate-limits checks the real ones). */
export const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_SIGN_IN: '100000',
  RATE_LIMIT_REGISTER: '100000',
  RATE_LIMIT_REFRESH: '100000',
  RATE_LIMIT_PASSWORD_RESET: '100000',
  RATE_LIMIT_COMMANDS: '100000',
  RATE_LIMIT_QUERIES: '100000',
  SIGN_IN_ADDRESS_FAILURES: '100000',
};

/**
 * No automatic audit checkpoints (they are on by default, every 5 minutes, and a worker that starts
 * fires the latest slot): a checkpoint event appended at a wall-clock boundary would move the log's
 * head under tests that compare it. Tests of checkpoints set AUDIT_CHECKPOINT_INTERVAL_SECONDS (an
 * explicit value, in the test or the shell, wins).
 */
export const NO_AUTOMATIC_CHECKPOINTS = { AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0' };
