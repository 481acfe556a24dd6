import type { Db } from '../../src/db/database.js';
import { seedPapers } from './seed.js';

/** Writes papers straight into the table (the ingest path has its own tests). */
export const insertPapers = seedPapers;

export async function insertSubscriber(
  db: Db,
  email: string,
  preferences: Record<string, unknown> = {},
): Promise<string> {
  const row = await db
    .insertInto('subscribers')
    .values({ email, status: 'active', preferences: JSON.stringify(preferences), confirmed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}
