import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Spaces provider calls evenly across every worker process: each call reserves the next free
 * slot (1000 / rate ms after the previous one) in one atomic statement, then waits for it.
 * BullMQ's limiter only spaces job *starts*; a job then spends a variable time ranking and
 * rendering, so without this the calls bunch up and the provider answers 429s.
 */
export async function reserveSendSlot(db: Db, ratePerSecond: number, name = 'resend'): Promise<number> {
  if (ratePerSecond <= 0) return 0;
  // 3% spare: arrival times at the provider jitter by the time it takes to serialise a batch.
  const intervalMs = (1000 / ratePerSecond) * 1.03;
  const { rows } = await sql<{ wait_ms: number }>`
    insert into send_pacing as p (name, next_at)
    values (${name}, clock_timestamp() + make_interval(secs => ${intervalMs / 1000}))
    on conflict (name) do update
      set next_at = greatest(p.next_at, clock_timestamp()) + make_interval(secs => ${intervalMs / 1000})
    returning greatest(0, extract(epoch from (next_at - clock_timestamp())) * 1000 - ${intervalMs})::float8 as wait_ms`.execute(
    db,
  );
  return rows[0]?.wait_ms ?? 0;
}
