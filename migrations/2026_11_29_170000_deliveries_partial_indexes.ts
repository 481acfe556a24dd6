import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.

/**
 * Each delivery row is written three times within seconds (planned with its batch, sending, sent),
 * and each write changes an indexed column, so each adds an entry to every index of the table.
 * Three of them only need some rows: a row has a resend_id entry once it is sent, a batch entry
 * once it has a batch key, and a state entry while it is not sent (planned and sending rows for
 * the recovery sweep, failed and skipped ones for the admin pages and retries). The subscriber
 * index also holds the edition date, so the papers a subscriber was sent before an edition are
 * found without visiting the rows of that edition itself.
 *
 * Pages are half filled by inserts: a new version that fits on its row's page needs no other page
 * found or added, and the webhooks' later updates (delivered, opened), which change no indexed
 * column, then add no index entry at all (a HOT update).
 *
 * The indexes are rebuilt inside the migration's transaction, which holds writes to deliveries
 * for as long as that takes: run it between editions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table deliveries set (fillfactor = 50)`.execute(db);
  await db.schema.dropIndex('deliveries_resend_id_idx').execute();
  await sql`create index deliveries_resend_id_idx on deliveries (resend_id) where resend_id is not null`.execute(
    db,
  );
  await db.schema.dropIndex('deliveries_batch_idx').execute();
  await sql`create index deliveries_batch_idx on deliveries (batch_key) where batch_key is not null`.execute(
    db,
  );
  await db.schema.dropIndex('deliveries_state_idx').execute();
  await sql`create index deliveries_state_idx on deliveries (state, edition_date) where state <> 'sent'`.execute(
    db,
  );
  await db.schema.dropIndex('deliveries_subscriber_idx').execute();
  await db.schema
    .createIndex('deliveries_subscriber_idx')
    .on('deliveries')
    .columns(['subscriber_id', 'edition_date'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table deliveries reset (fillfactor)`.execute(db);
  await db.schema.dropIndex('deliveries_subscriber_idx').execute();
  await db.schema.createIndex('deliveries_subscriber_idx').on('deliveries').column('subscriber_id').execute();
  await db.schema.dropIndex('deliveries_state_idx').execute();
  await db.schema
    .createIndex('deliveries_state_idx')
    .on('deliveries')
    .columns(['state', 'edition_date'])
    .execute();
  await db.schema.dropIndex('deliveries_batch_idx').execute();
  await db.schema.createIndex('deliveries_batch_idx').on('deliveries').column('batch_key').execute();
  await db.schema.dropIndex('deliveries_resend_id_idx').execute();
  await db.schema.createIndex('deliveries_resend_id_idx').on('deliveries').column('resend_id').execute();
}
