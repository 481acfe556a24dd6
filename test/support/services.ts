/**
 * Where the tests find the machine's PostgreSQL and Redis. Kept apart from the helpers that use
 * them so the global set-up loads nothing else (the embedded database's exit hooks in particular).
 */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
