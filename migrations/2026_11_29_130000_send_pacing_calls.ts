import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.

/** The times of the latest provider calls, so a late call pushes back the ones after it. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('send_pacing')
    .addColumn('calls', sql`timestamptz[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('send_pacing').dropColumn('calls').execute();
}
