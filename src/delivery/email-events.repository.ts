import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** What each kind of Resend event records on its delivery: a first-time timestamp column, or none. */
export type DeliveryStamp =
  | 'sent_at'
  | 'delivered_at'
  | 'opened_at'
  | 'clicked_at'
  | 'bounced_at'
  | 'complained_at';

export interface StoredEvent {
  svixId: string;
  type: string;
  resendEmailId: string | null;
  /** Lower-cased recipient address. */
  email: string | null;
  /** The raw body as it arrived (valid JSON; stored as jsonb). */
  payload: string;
  occurredAt: Date | null;
}

export interface DeliveryEffect {
  /** Update the matched delivery's `last_event` (and `stamp`, `reason` when given). */
  track: boolean;
  stamp?: DeliveryStamp;
  reason?: string;
  /**
   * Commit without waiting for the WAL flush (`synchronous_commit = off` for this statement only).
   * A database crash may then lose the last fraction of a second of such events, never corrupt
   * anything: fine for opens and clicks, not for bounces and complaints. Has no effect inside a
   * caller's transaction. @defaultValue false
   */
  relaxed?: boolean;
}

/**
 * Stores the event once per svix-id and records it on the delivery Resend's email id points to, in
 * one statement: a replay inserts nothing and so changes nothing. `eventId` is null for a replay.
 * `last_event` only moves forward in Resend's time, since Svix does not promise delivery order.
 */
export async function storeEmailEvent(
  db: Db,
  event: StoredEvent,
  effect: DeliveryEffect,
): Promise<{ eventId: string | null; deliveryId: string | null }> {
  const at = sql`coalesce(${event.occurredAt}::timestamptz, now())`;
  const stamp = effect.stamp
    ? sql`${sql.ref(effect.stamp)} = coalesce(${sql.ref(`deliveries.${effect.stamp}`)}, ${at}),`
    : sql``;
  const reason = effect.reason === undefined ? sql`` : sql`reason = ${effect.reason},`;
  const result = await sql<{ event_id: string | null; delivery_id: string | null }>`
    with relaxed as (
      select set_config('synchronous_commit', 'off', true) where ${effect.relaxed ?? false}
    ), d as (
      select id from deliveries where resend_id = ${event.resendEmailId} order by id desc limit 1
    ), e as (
      insert into email_events (svix_id, type, resend_email_id, delivery_id, email, payload, occurred_at, processed_at)
      values (${event.svixId}, ${event.type}, ${event.resendEmailId}, (select id from d), ${event.email},
              ${event.payload}::jsonb, ${event.occurredAt}::timestamptz, now())
      on conflict (svix_id) do nothing
      returning id, delivery_id
    ), u as (
      update deliveries set
        ${stamp}
        ${reason}
        last_event = case when deliveries.last_event_at is null or deliveries.last_event_at <= ${at}
                          then ${event.type} else deliveries.last_event end,
        last_event_at = greatest(deliveries.last_event_at, ${at}),
        updated_at = now()
      from e where deliveries.id = e.delivery_id and ${effect.track}
      returning deliveries.id
    )
    select (select id from e) as event_id, coalesce((select id from u), (select delivery_id from e)) as delivery_id,
           (select count(*) from relaxed) as relaxed`.execute(db);
  const row = result.rows[0];
  return { eventId: row?.event_id ?? null, deliveryId: row?.delivery_id ?? null };
}

/** Bounce `type` values that mean "try again later" rather than "this address does not exist". */
export const TRANSIENT_BOUNCE = '^(transient|temporary|soft)';

/**
 * Delivery delays and transient bounces for the address within the window, counting only those
 * after its latest `email.delivered` (a delivery proves the mailbox works again).
 */
export async function countSoftBounces(db: Db, email: string, windowDays: number): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from email_events
    where email = ${email}
      and (type = 'email.delivery_delayed'
           or (type = 'email.bounced' and payload #>> '{data,bounce,type}' ~* ${TRANSIENT_BOUNCE}))
      and coalesce(occurred_at, received_at) > now() - make_interval(days => ${windowDays})
      and coalesce(occurred_at, received_at) > coalesce(
        (select max(coalesce(occurred_at, received_at)) from email_events
         where email = ${email} and type = 'email.delivered'),
        '-infinity')`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * Serialises the soft-bounce count of one address: without it two delays arriving together would
 * each count the other out and the limit could be passed without suppressing. Held to commit.
 */
export async function lockAddress(db: Db, email: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`email:${email}`}))`.execute(db);
}
