import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

import { TEST_DATABASE_URL } from './services.js';

export { TEST_DATABASE_URL };

/** The machine's PostgreSQL (not a mock). Each test file gets a fresh database of its own. */

export interface TestDatabase {
  db: Db;
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database, applies the real migrations, and returns a Kysely handle on it. */
export async function createTestDatabase(
  options: { migrate?: boolean; max?: number } = {},
): Promise<TestDatabase> {
  const name = `paperboy_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = withDatabase(TEST_DATABASE_URL, name);
  const db = createDb(url, { max: options.max ?? 10 });
  if (options.migrate ?? true) await migrateToLatest(db);
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
