import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

it('reports an idle connection the server ended, and goes on with a new one', async () => {
  const lost: Error[] = [];
  const db = createDb(t.url, { max: 1, onIdleError: (error) => void lost.push(error) });
  try {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    // The pool's one connection is idle now; the server ends it (as a restart would).
    await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(t.db);
    for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toMatch(/terminat/i);
    const again = await sql<{ one: number }>`select 1 as one`.execute(db);
    expect(again.rows[0]!.one).toBe(1);
  } finally {
    await db.destroy();
  }
});
