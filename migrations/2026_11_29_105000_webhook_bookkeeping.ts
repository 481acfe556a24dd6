import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

/**
 * `deliveries.last_event_at` lets `last_event` move only forward when Resend's webhooks arrive out
 * of order; `suppressions.removed_by` records which operator lifted an entry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('last_event_at', 'timestamptz').execute();
  await db.schema.alterTable('suppressions').addColumn('removed_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('suppressions').dropColumn('removed_by').execute();
  await db.schema.alterTable('deliveries').dropColumn('last_event_at').execute();
}
