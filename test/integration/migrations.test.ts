import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase } from '../support/database.js';

const TABLES = [
  'deliveries',
  'editions',
  'email_events',
  'feedback',
  'papers',
  'send_pacing',
  'subscribers',
  'suppressions',
];

async function tables(db: ReturnType<typeof createDb>): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db);
  return rows.rows.map((r) => r.table_name);
}

describe('migrations on the machine PostgreSQL', () => {
  it('go up, down and up again', async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      expect((await migrateToLatest(t.db))[0]).toBe('applied 2026_11_29_090000_initial');
      expect(await tables(t.db)).toEqual(TABLES);
      expect(await migrateToLatest(t.db)).toEqual([]);
      // Down one migration at a time until none is left.
      while ((await migrateDown(t.db)).length > 0);
      expect(await tables(t.db)).toEqual([]);
      await migrateToLatest(t.db);
      expect(await tables(t.db)).toEqual(TABLES);
    } finally {
      await t.drop();
    }
  });

  it('keep one subscriber per address whatever its case', async () => {
    const t = await createTestDatabase();
    try {
      await t.db
        .insertInto('subscribers')
        .values({ email: 'Ada@Example.org', status: 'active', preferences: {} })
        .execute();
      await expect(
        t.db
          .insertInto('subscribers')
          .values({ email: 'ada@example.org', status: 'active', preferences: {} })
          .execute(),
      ).rejects.toThrow(/subscribers_email_key/);
    } finally {
      await t.drop();
    }
  });
});

describe('migrations on the embedded PostgreSQL', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-embedded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('start a server with only Node, migrate it, and reuse it from a second handle', async () => {
    const server = await startEmbeddedPostgres(dir);
    const db = createDb(server.url);
    try {
      await migrateToLatest(db);
      expect(await tables(db)).toEqual(TABLES);
      const again = await startEmbeddedPostgres(dir);
      expect(again.url).toBe(server.url);
      await again.release();
      await db.selectFrom('papers').selectAll().execute();
    } finally {
      await db.destroy();
      await server.release();
    }
  }, 120_000);
});
