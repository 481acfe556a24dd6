import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Spaces provider calls evenly across every worker process: each call reserves the next free
 * slot (1000 / rate ms after the previous one) in one atomic statement, then waits for it.
 * BullMQ's limiter only spaces job *starts*; a job then spends a variable time ranking and
 * rendering, so without this the calls bunch up and the provider answers 429s.
 */
export async function reserveSendSlot(
  db: Db,
  ratePerSecond: number,
  name = 'resend',
): Promise<{ waitMs: number; slotAt: number }> {
  if (ratePerSecond <= 0) return { waitMs: 0, slotAt: Date.now() };
  // 5% spare: arrival at the provider jitters by the time it takes to serialise a 4 MB batch
  // (tens of ms on a busy machine), and every 429 wastes a whole slot.
  const intervalMs = (1000 / ratePerSecond) * 1.05;
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
