import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DeliveryEffect, StoredEvent } from './email-events.repository.js';

/**
 * Tracking events (sent, delivered, opened, clicked: nine in ten of Resend's posts) arriving
 * together are written in one statement instead of one each: each request still waits for its
 * own row to be committed before it is answered, but the database plans, executes and commits
 * once per batch. Batches run one at a time, so two never lock the same deliveries in opposite
 * orders. Bounces, complaints and failures do not come here: they take their own transaction.
 */

interface Pending {
  event: StoredEvent;
  effect: DeliveryEffect;
  resolve(result: { eventId: string | null; deliveryId: string | null }): void;
  reject(error: unknown): void;
}

export interface EventBatcher {
  store(
    event: StoredEvent,
    effect: DeliveryEffect,
  ): Promise<{ eventId: string | null; deliveryId: string | null }>;
}

/** @param maxBatch events per statement. @defaultValue 200 */
export function createEventBatcher(db: Db, maxBatch = 200): EventBatcher {
  let queue: Pending[] = [];
  let running = false;

  const flush = async () => {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        settle(batch, await storeTrackingEvents(db, batch));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // One bad event (say a payload PostgreSQL's jsonb refuses) must not fail its neighbours.
        else for (const p of batch) await storeTrackingEvents(db, [p]).then((r) => settle([p], r), p.reject);
      }
    }
    running = false;
  };

  return {
    store(event, effect) {
      return new Promise((resolve, reject) => {
        queue.push({ event, effect, resolve, reject });
        // Wait one turn of the event loop so requests parsed in the same turn share the batch.
        if (!running && queue.length === 1) setImmediate(() => void flush());
      });
    },
  };
}

function settle(batch: Pending[], stored: Map<string, { id: string; delivery_id: string | null }>): void {
  const seen = new Set<string>();
  for (const p of batch) {
    // The first of two copies in one batch is the one stored; the second is a replay.
    const row = seen.has(p.event.svixId) ? undefined : stored.get(p.event.svixId);
    seen.add(p.event.svixId);
    p.resolve({ eventId: row?.id ?? null, deliveryId: row?.delivery_id ?? null });
  }
}

async function storeTrackingEvents(
  db: Db,
  batch: Pending[],
): Promise<Map<string, { id: string; delivery_id: string | null }>> {
  // Each payload is already valid JSON: splice it in rather than parse and re-serialise it.
  const rows = batch.map(
    (p) =>
      `{"svix_id":${JSON.stringify(p.event.svixId)},"type":${JSON.stringify(p.event.type)},` +
      `"resend_email_id":${JSON.stringify(p.event.resendEmailId)},"email":${JSON.stringify(p.event.email)},` +
      `"occurred_at":${JSON.stringify(p.event.occurredAt?.toISOString() ?? null)},` +
      `"stamp":${JSON.stringify(p.effect.stamp ?? null)},"track":${p.effect.track},"payload":${p.event.payload}}`,
  );
  const result = await sql<{ svix_id: string; id: string; delivery_id: string | null }>`
    with input as (
      select x.*, coalesce(x.occurred_at, now()) as at
      from jsonb_to_recordset(${`[${rows.join(',')}]`}::jsonb) as x(
        svix_id text, type text, resend_email_id text, email text, occurred_at timestamptz,
        stamp text, track boolean, payload jsonb)
    ), relaxed as (
      select set_config('synchronous_commit', 'off', true)
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
        last_event = case when d.last_event_at is null or d.last_event_at <= agg.last_at
                          then agg.last_event else d.last_event end,
        last_event_at = greatest(d.last_event_at, agg.last_at),
        updated_at = now()
      from agg where d.id = agg.delivery_id
      returning d.id
    )
    select e.svix_id, e.id, e.delivery_id, (select count(*) from relaxed) as relaxed from e`.execute(db);
  return new Map(result.rows.map((r) => [r.svix_id, r]));
}
