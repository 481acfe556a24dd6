import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Spaces provider calls across every worker process so none is refused for going over the rate,
 * in three steps, each one atomic statement on the provider's `send_pacing` row:
 *
 * 1. `reserveSendSlot`, once the batch is rendered: the next free slot, 1000 / rate ms after the
 *    previous one, so calls are evenly spread. BullMQ's limiter only spaces job *starts*; a job
 *    then spends a variable time ranking and rendering, so without this the calls bunch up.
 * 2. `clearSendWindow`, at the slot, once the batch is encoded: the call may go only when it is
 *    far enough from the previous call and the window counted by the provider (any second) holds
 *    fewer than `rate` calls, reckoned from the times the earlier calls were let go. A call that
 *    comes to this step late (its batch took long to render, the machine was busy) is recorded
 *    late and pushes back the next ones, instead of landing in one window with them and drawing a
 *    429, which would cost a whole slot and a second of retry-after.
 * 3. `recordDeparture`, once the request has left (the transport sees its headers written): a call
 *    that left late is recorded at the time it left. A worker's first call opens a connection and
 *    warms the HTTP client; on a busy machine it left 25 to 270 ms after its turn, and the next
 *    call, spaced from the turn, reached the provider inside the same second and drew a 429.
 * What lateness is left after that (the network) is what the spare in WINDOW_MS is for.
 */

/**
 * The second the provider counts calls in, with 3% spare for the moments between a call leaving
 * here and its arrival there: calls at most every 1030 / rate ms, at most `rate` per 1030 ms.
 * Measured on a busy 2-core machine against a local server, calls recorded as they left arrived
 * 505 to 545 ms apart at 2 per second; 5% spare held every call back more than that needed.
 */
const WINDOW_MS = 1030;

export async function reserveSendSlot(
  db: Db,
  ratePerSecond: number,
  name = 'resend',
): Promise<{ waitMs: number; slotAt: number }> {
  if (ratePerSecond <= 0) return { waitMs: 0, slotAt: Date.now() };
  const intervalMs = 1000 / ratePerSecond;
  const seconds = intervalMs / 1000;
  const { rows } = await sql<{ wait_ms: number; slot_ms: number }>`
    insert into send_pacing as p (name, next_at)
    values (${name}, clock_timestamp() + make_interval(secs => ${seconds}))
    on conflict (name) do update
      set next_at = greatest(p.next_at, clock_timestamp()) + make_interval(secs => ${seconds})
    returning
      greatest(0, extract(epoch from (next_at - clock_timestamp())) * 1000 - ${intervalMs})::float8 as wait_ms,
      (extract(epoch from next_at) * 1000 - ${intervalMs})::float8 as slot_ms`.execute(db);
  return { waitMs: rows[0]?.wait_ms ?? 0, slotAt: rows[0]?.slot_ms ?? Date.now() };
}

/**
 * A call's place in `send_pacing.calls`: the time it was let go, as PostgreSQL wrote it, and the
 * same moment on this process's clock (`performance.now()`), to tell how late the call left.
 */
export interface SendTurn {
  name: string;
  at: string;
  dueAt: number;
}

/**
 * Records the time this call is let go (now, or later if it would come too soon after the previous
 * call, or share a window with the last `rate` calls) and answers how long to wait for it.
 */
export async function clearSendWindow(
  db: Db,
  ratePerSecond: number,
  name = 'resend',
): Promise<{ waitMs: number; turn?: SendTurn }> {
  if (ratePerSecond <= 0) return { waitMs: 0 };
  const rate = Math.max(1, Math.floor(ratePerSecond));
  // Computed in the SET, which PostgreSQL re-evaluates on the latest row when two callers meet.
  const { rows } = await sql<{ wait_ms: number; at: string }>`
    update send_pacing p
      set calls = (p.calls || greatest(
                    clock_timestamp(),
                    coalesce(p.calls[cardinality(p.calls)], '-infinity')
                      + make_interval(secs => ${WINDOW_MS / 1000 / rate}),
                    coalesce(p.calls[cardinality(p.calls) - ${rate} + 1], '-infinity')
                      + make_interval(secs => ${WINDOW_MS / 1000})))[greatest(1, cardinality(p.calls) + 2 - ${rate}):]
    where p.name = ${name}
    returning greatest(0, extract(epoch from (calls[cardinality(calls)] - clock_timestamp())) * 1000)::float8 as wait_ms,
      calls[cardinality(calls)]::text as at`.execute(db);
  const row = rows[0];
  if (!row) return { waitMs: 0 };
  return { waitMs: row.wait_ms, turn: { name, at: row.at, dueAt: performance.now() + row.wait_ms } };
}

/**
 * Both steps: wait for a slot, then for a clear window. For the moment right before the call;
 * the turn it answers is for recordDeparture.
 */
export async function waitForSendTurn(
  db: Db,
  ratePerSecond: number,
  name = 'resend',
): Promise<SendTurn | undefined> {
  if (ratePerSecond <= 0) return undefined;
  const { waitMs } = await reserveSendSlot(db, ratePerSecond, name);
  if (waitMs > 0) await sleep(waitMs);
  const { waitMs: windowMs, turn } = await clearSendWindow(db, ratePerSecond, name);
  if (windowMs > 0) await sleep(windowMs);
  return turn;
}

/**
 * The call of `turn` left at `leftAt` (`performance.now()`). If that is after its time (a timer
 * that fired late, a busy event loop, a connection being opened), it is recorded as leaving then,
 * so the calls after it keep their distance from when it reached the provider. Calls let go
 * meanwhile stay as they are (the list is kept in order).
 */
export async function recordDeparture(db: Db, turn: SendTurn, leftAt: number): Promise<void> {
  const lateMs = leftAt - turn.dueAt;
  if (lateMs < 1) return;
  await sql`
    update send_pacing p
      set calls = array(
        select c from unnest(array_replace(p.calls, ${turn.at}::timestamptz,
          ${turn.at}::timestamptz + make_interval(secs => ${lateMs / 1000}))) c
        order by c)
    where p.name = ${turn.name}`.execute(db);
}
