import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('papers')
    .addColumn('id', 'text', (c) => c.primaryKey()) // arXiv id
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('abstract', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('authors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('organization', 'text')
    .addColumn('organization_name', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('listed_on', 'date', (c) => c.notNull())
    .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('github_repo', 'text')
    .addColumn('github_stars', 'integer')
    .addColumn('project_page', 'text')
    .addColumn('thumbnail', 'text')
    .addColumn('ai_summary', 'text')
    .addColumn('ai_keywords', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('papers_listed_on_idx').on('papers').column('listed_on').execute();

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'active', 'unsubscribed')`),
    )
    .addColumn('preferences', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmation_sent_at', 'timestamptz')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('unsubscribed_at', 'timestamptz')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('operator'))
    .execute();
  await sql`create unique index subscribers_email_key on subscribers (lower(email))`.execute(db);
  await db.schema.createIndex('subscribers_status_idx').on('subscribers').columns(['status', 'id']).execute();

  await db.schema
    .createTable('editions')
    .addColumn('date', 'date', (c) => c.primaryKey()) // the day the papers were listed
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'paused')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('edition_date', 'date', (c) => c.notNull().references('editions.date').onDelete('cascade'))
    .addColumn('subscriber_id', 'bigint', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('planned', 'sending', 'sent', 'failed', 'skipped')`),
    )
    .addColumn('batch_key', 'text')
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('template', 'text')
    .addColumn('subject', 'text')
    .addColumn('paper_ids', 'jsonb')
    .addColumn('resend_id', 'text')
    .addColumn('last_event', 'text')
    .addColumn('planned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('opened_at', 'timestamptz')
    .addColumn('clicked_at', 'timestamptz')
    .addColumn('bounced_at', 'timestamptz')
    .addColumn('complained_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('deliveries_edition_subscriber_key', ['edition_date', 'subscriber_id'])
    .execute();
  await db.schema.createIndex('deliveries_batch_idx').on('deliveries').column('batch_key').execute();
  await db.schema
    .createIndex('deliveries_state_idx')
    .on('deliveries')
    .columns(['state', 'edition_date'])
    .execute();
  await db.schema.createIndex('deliveries_subscriber_idx').on('deliveries').column('subscriber_id').execute();
  await db.schema.createIndex('deliveries_resend_id_idx').on('deliveries').column('resend_id').execute();

  await db.schema
    .createTable('email_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('svix_id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('resend_email_id', 'text')
    .addColumn('delivery_id', 'bigint', (c) => c.references('deliveries.id').onDelete('set null'))
    .addColumn('email', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('email_events_email_idx')
    .on('email_events')
    .columns(['email', 'type'])
    .execute();
  await db.schema
    .createIndex('email_events_resend_idx')
    .on('email_events')
    .column('resend_email_id')
    .execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_reason', 'text')
    .execute();
  await sql`create unique index suppressions_active_email_key on suppressions (lower(email)) where removed_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('feedback')
    .addColumn('subscriber_id', 'bigint', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('value', 'smallint', (c) => c.notNull().check(sql`value in (-1, 1)`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('feedback_pkey', ['subscriber_id', 'paper_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'feedback',
    'suppressions',
    'email_events',
    'deliveries',
    'editions',
    'subscribers',
    'papers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
