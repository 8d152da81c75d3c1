/** argon2id at a test cost (about 0.1 ms a hash instead of 50 ms or more): the cost comes from config. */
export const CHEAP_PASSWORD_HASHING = { ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1', ARGON2_PARALLELISM: '1' };
