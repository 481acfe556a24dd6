import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.

/** One row per rate-limited provider: the earliest moment its next call may start. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('send_pacing')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_pacing').ifExists().execute();
}
