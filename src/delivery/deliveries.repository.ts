import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DeliveryState, SubscriberStatus } from '../db/schema.js';

/**
 * Delivery rows: one per (edition, subscriber), unique in the database, moving
 * planned → sending → sent | failed | skipped. Every write here is safe to repeat.
 */

export const BATCH_SIZE = 100;

export async function ensureEdition(db: Db, date: string): Promise<void> {
  await db
    .insertInto('editions')
    .values({ date })
    .onConflict((oc) => oc.column('date').doNothing())
    .execute();
}

/**
 * Inserts a planned row for each subscriber of each batch (up to `BATCH_SIZE` a batch), every batch
 * under a new key `<date>-<n>`, n drawn from the table's id sequence (so no two batches, and no
 * batch keyed by its first delivery id before, share a key). A batch is the rows inserted for it,
 * fixed from the start: a retried batch sends the same emails under the same idempotency key. Rows
 * already there (a second planner, a re-run) stay as they are, in their own batch. The key comes
 * with the rows, so a row is written once to be planned, not again to be batched; and one
 * statement plans many batches (a statement a batch cost PostgreSQL twice as much).
 * Answers each batch that got rows, with how many, in the order given.
 */
export async function insertPlannedBatches(
  db: Db,
  date: string,
  batches: string[][],
): Promise<{ batchKey: string; inserted: number }[]> {
  const ids: string[] = [];
  const numbers: number[] = [];
  for (const [n, batch] of batches.entries()) {
    if (batch.length > BATCH_SIZE) {
      throw new Error(`insertPlannedBatches: ${batch.length} subscribers in a batch, at most ${BATCH_SIZE}`);
    }
    for (const id of batch) {
      ids.push(id);
      numbers.push(n);
    }
  }
  if (ids.length === 0) return [];
  const { rows } = await sql<{ batch_key: string; inserted: number }>`
    with keys as materialized (
      select k.n, ${date}::text || '-' || nextval(pg_get_serial_sequence('deliveries', 'id'))::text as key
      from generate_series(0, ${batches.length - 1}) as k(n)
    ), inserted as (
      insert into deliveries (edition_date, subscriber_id, state, batch_key)
      select ${date}::date, s.id, 'planned', keys.key
      from unnest(${ids}::bigint[], ${numbers}::int[]) as s(id, n) join keys on keys.n = s.n
      on conflict (edition_date, subscriber_id) do nothing
      returning batch_key
    )
    select keys.key as batch_key, count(*)::int as inserted
    from inserted join keys on keys.key = inserted.batch_key
    group by keys.n, keys.key order by keys.n`.execute(db);
  return rows.map((r) => ({ batchKey: r.batch_key, inserted: r.inserted }));
}

/**
 * Gives unbatched planned rows of an edition a fixed batch key `<date>-<first delivery id>`, at most
 * `BATCH_SIZE` per key, for the rows a planner before insertPlannedBatches left without one.
 * Membership never changes afterwards. `skip locked` keeps two callers from sharing rows.
 */
export async function assignBatches(db: Db, date: string): Promise<string[]> {
  const keys: string[] = [];
  for (;;) {
    const { rows } = await sql<{ batch_key: string }>`
      with chosen as (
        select id from deliveries
        where edition_date = ${date} and batch_key is null and state = 'planned'
        order by id limit ${BATCH_SIZE}
        for update skip locked
      ), batch as (
        select ${date}::text || '-' || min(id)::text as key from chosen
      )
      update deliveries d set batch_key = batch.key, updated_at = now()
      from batch
      where d.id in (select id from chosen)
      returning d.batch_key`.execute(db);
    if (rows.length === 0) return keys;
    keys.push(rows[0]!.batch_key);
  }
}

export interface BatchMember {
  id: string;
  state: DeliveryState;
  editionDate: string;
  subscriberId: string;
  email: string;
  status: SubscriberStatus;
  preferences: unknown;
  tokenVersion: number;
}

export async function loadBatch(db: Db, batchKey: string): Promise<BatchMember[]> {
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select([
      'd.id',
      'd.state',
      'd.edition_date',
      's.id as subscriber_id',
      's.email',
      's.status',
      's.preferences',
      's.token_version',
    ])
    .where('d.batch_key', '=', batchKey)
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    state: r.state,
    editionDate: r.edition_date,
    subscriberId: String(r.subscriber_id),
    email: r.email,
    status: r.status,
    preferences: r.preferences,
    tokenVersion: r.token_version,
  }));
}

/** planned/sending → sending, counting the attempt; returns the ids still to be decided. */
export async function claimBatch(db: Db, batchKey: string): Promise<Set<string>> {
  const rows = await db
    .updateTable('deliveries')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: new Date() }))
    .where('batch_key', '=', batchKey)
    .where('state', 'in', ['planned', 'sending'])
    .returning('id')
    .execute();
  return new Set(rows.map((r) => String(r.id)));
}

export interface SentRow {
  id: string;
  resendId: string | null;
  subject: string;
  paperIds: string[];
  template: string;
}

export async function markSent(db: Db, rows: SentRow[], reason: string | null = null): Promise<void> {
  if (rows.length === 0) return;
  // One array a column: five parameters, where a list of values took five a row to send and plan.
  await sql`
    update deliveries d set state = 'sent', resend_id = v.resend_id, subject = v.subject,
      paper_ids = v.paper_ids::jsonb, template = v.template, sent_at = now(), updated_at = now(), reason = ${reason}
    from unnest(
      ${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.resendId)}::text[], ${rows.map((r) => r.subject)}::text[],
      ${rows.map((r) => JSON.stringify(r.paperIds))}::text[], ${rows.map((r) => r.template)}::text[]
    ) as v(id, resend_id, subject, paper_ids, template)
    where d.id = v.id and d.state = 'sending'`.execute(db);
}

/** Ends deliveries as skipped or failed, each with its reason. */
export async function markEnded(
  db: Db,
  rows: { id: string; state: 'skipped' | 'failed'; reason: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update deliveries d set state = v.state, reason = v.reason, updated_at = now()
    from unnest(
      ${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.state)}::text[], ${rows.map((r) => r.reason)}::text[]
    ) as v(id, state, reason)
    where d.id = v.id and d.state in ('planned', 'sending')`.execute(db);
}

export async function editionStatus(db: Db, date: string): Promise<'open' | 'paused' | undefined> {
  const row = await db.selectFrom('editions').select('status').where('date', '=', date).executeTakeFirst();
  return row?.status;
}

/**
 * Batches of open editions with rows still planned or sending: the recovery sweep's work list. The
 * states are written in the SQL, not sent as parameters, so that PostgreSQL sees they fall under
 * the state index (which leaves sent rows out) whatever plan it makes.
 */
export async function unfinishedBatches(db: Db): Promise<{ batchKey: string; editionDate: string }[]> {
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('editions as e', 'e.date', 'd.edition_date')
    .select(['d.batch_key', 'd.edition_date'])
    .distinct()
    .where(sql<boolean>`d.state in ('planned', 'sending')`)
    .where('d.batch_key', 'is not', null)
    .where('e.status', '=', 'open')
    .execute();
  return rows.map((r) => ({ batchKey: r.batch_key!, editionDate: r.edition_date }));
}

/** Editions with planned rows left without a batch key (by a planner from before insertPlannedBatches). */
export async function editionsWithUnbatched(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select('edition_date')
    .distinct()
    .where(sql<boolean>`state = 'planned'`)
    .where('batch_key', 'is', null)
    .execute();
  return rows.map((r) => r.edition_date);
}

export interface EditionSummary {
  date: string;
  counts: Record<DeliveryState, number>;
  /** Skipped and failed rows by reason. */
  reasons: { state: DeliveryState; reason: string; count: number }[];
}

export async function editionSummary(db: Db, date: string): Promise<EditionSummary> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['state', 'reason', (eb) => eb.fn.countAll<string>().as('n')])
    .where('edition_date', '=', date)
    .groupBy(['state', 'reason'])
    .execute();
  const counts: Record<DeliveryState, number> = { planned: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  const reasons: EditionSummary['reasons'] = [];
  for (const r of rows) {
    counts[r.state] += Number(r.n);
    if ((r.state === 'skipped' || r.state === 'failed') && r.reason) {
      reasons.push({ state: r.state, reason: r.reason, count: Number(r.n) });
    }
  }
  reasons.sort((a, b) => b.count - a.count);
  return { date, counts, reasons };
}
