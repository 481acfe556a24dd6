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
   * May commit without waiting for the WAL flush (`synchronous_commit = off`, when every event
   * written with it is relaxed too). A database crash may then lose the last fraction of a second
   * of such events, never corrupt anything: fine for opens and clicks, not for bounces and
   * complaints. Never pass it for a write inside a transaction that does more. @defaultValue false
   */
  relaxed?: boolean;
}

export interface EventWrite {
  event: StoredEvent;
  effect: DeliveryEffect;
}

/**
 * Stores each event once per svix-id and records it on the delivery Resend's email id points to, in
 * one statement for the whole batch: a replay inserts nothing and so changes nothing. Answers one
 * result per input, in order; `eventId` is null for a replay (including the second of two copies
 * in one batch). `last_event` only moves forward in Resend's time, since Svix does not promise
 * delivery order. The statement commits without waiting for the disk only when every event in it
 * is `relaxed`.
 */
export async function storeEmailEvents(
  db: Db,
  writes: EventWrite[],
): Promise<Array<{ eventId: string | null; deliveryId: string | null }>> {
  // Each payload is already valid JSON: splice it in rather than parse and re-serialise it.
  const rows = writes.map(
    ({ event, effect }) =>
      `{"svix_id":${JSON.stringify(event.svixId)},"type":${JSON.stringify(event.type)},` +
      `"resend_email_id":${JSON.stringify(event.resendEmailId)},"email":${JSON.stringify(event.email)},` +
      `"occurred_at":${JSON.stringify(event.occurredAt?.toISOString() ?? null)},` +
      `"stamp":${JSON.stringify(effect.stamp ?? null)},"reason":${JSON.stringify(effect.reason ?? null)},` +
      `"track":${effect.track},"payload":${event.payload}}`,
  );
  const relaxed = writes.every((w) => w.effect.relaxed);
  const result = await sql<{ svix_id: string; id: string; delivery_id: string | null }>`
    with input as (
      select x.*, coalesce(x.occurred_at, now()) as at
      from jsonb_to_recordset(${`[${rows.join(',')}]`}::jsonb) as x(
        svix_id text, type text, resend_email_id text, email text, occurred_at timestamptz,
        stamp text, reason text, track boolean, payload jsonb)
    ), relaxed as (
      select set_config('synchronous_commit', 'off', true) where ${relaxed}
    ), e as (
      insert into email_events (svix_id, type, resend_email_id, delivery_id, email, payload, occurred_at, processed_at)
      select x.svix_id, x.type, x.resend_email_id,
             (select d.id from deliveries d where d.resend_id = x.resend_email_id order by d.id desc limit 1),
             x.email, x.payload, x.occurred_at, now()
      from input x order by x.svix_id
      on conflict (svix_id) do nothing
      returning svix_id, id, delivery_id
    ), agg as (
      select e.delivery_id,
             min(x.at) filter (where x.stamp = 'sent_at') as sent_at,
             min(x.at) filter (where x.stamp = 'delivered_at') as delivered_at,
             min(x.at) filter (where x.stamp = 'opened_at') as opened_at,
             min(x.at) filter (where x.stamp = 'clicked_at') as clicked_at,
             min(x.at) filter (where x.stamp = 'bounced_at') as bounced_at,
             min(x.at) filter (where x.stamp = 'complained_at') as complained_at,
             (array_agg(x.reason order by x.at desc) filter (where x.reason is not null))[1] as reason,
             (array_agg(x.type order by x.at desc))[1] as last_event,
             max(x.at) as last_at
      from e join input x using (svix_id)
      where e.delivery_id is not null and x.track
      group by e.delivery_id
    ), u as (
      update deliveries d set
        sent_at = coalesce(d.sent_at, agg.sent_at),
        delivered_at = coalesce(d.delivered_at, agg.delivered_at),
        opened_at = coalesce(d.opened_at, agg.opened_at),
        clicked_at = coalesce(d.clicked_at, agg.clicked_at),
        bounced_at = coalesce(d.bounced_at, agg.bounced_at),
        complained_at = coalesce(d.complained_at, agg.complained_at),
        reason = coalesce(agg.reason, d.reason),
        last_event = case when d.last_event_at is null or d.last_event_at <= agg.last_at
                          then agg.last_event else d.last_event end,
        last_event_at = greatest(d.last_event_at, agg.last_at),
        updated_at = now()
      from agg where d.id = agg.delivery_id
      returning d.id
    )
    select e.svix_id, e.id, e.delivery_id, (select count(*) from relaxed) as relaxed from e`.execute(db);
  const stored = new Map(result.rows.map((r) => [r.svix_id, r]));
  const seen = new Set<string>();
  return writes.map(({ event }) => {
    // The first of two copies in one batch is the one stored; the second is a replay.
    const row = seen.has(event.svixId) ? undefined : stored.get(event.svixId);
    seen.add(event.svixId);
    return { eventId: row?.id ?? null, deliveryId: row?.delivery_id ?? null };
  });
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
 * Serialises the soft-bounce counts of these addresses: without it two delays arriving together
 * would each count the other out and the limit could be passed without suppressing. Held to
 * commit; taken in sorted order, so two transactions locking overlapping sets cannot deadlock.
 */
export async function lockAddresses(db: Db, emails: string[]): Promise<void> {
  const keys = [...new Set(emails)].sort().map((email) => `email:${email}`);
  if (keys.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${keys}::text[]) as k`.execute(db);
}
