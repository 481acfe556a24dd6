import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * What the operator can do to an edition: pause and resume its sending, retry its failures.
 * Sending itself belongs to delivery; it is reached through `SendQueueing`, so this file knows
 * nothing of queues.
 */

export interface SendQueueing {
  /** Puts the edition's planned deliveries (back) on the send queue; returns how many jobs. */
  enqueuePlanned(date: string): Promise<number>;
}

export class EditionNotFoundError extends Error {
  override readonly name = 'EditionNotFoundError';
  readonly code = 'EDITION_NOT_FOUND' as const;
  constructor(readonly date: string) {
    super(`There is no edition for ${date}.`);
  }
}

async function setStatus(db: Db, date: string, status: 'open' | 'paused'): Promise<'open' | 'paused'> {
  const before = await db.selectFrom('editions').select('status').where('date', '=', date).executeTakeFirst();
  if (!before) throw new EditionNotFoundError(date);
  await db.updateTable('editions').set({ status, updated_at: new Date() }).where('date', '=', date).execute();
  return before.status;
}

/** Send workers leave this edition's deliveries planned until it is resumed. */
export async function pauseEdition(db: Db, date: string): Promise<{ wasPaused: boolean }> {
  return { wasPaused: (await setStatus(db, date, 'paused')) === 'paused' };
}

/** Opens the edition again and re-enqueues whatever is still planned. */
export async function resumeEdition(
  db: Db,
  queueing: SendQueueing,
  date: string,
): Promise<{ wasPaused: boolean; jobs: number }> {
  const before = await setStatus(db, date, 'open');
  return { wasPaused: before === 'paused', jobs: await queueing.enqueuePlanned(date) };
}

/**
 * Resets the edition's failed deliveries to planned and enqueues them. The send step re-checks
 * suppressions and subscriber status, so a retry never mails an address that has since gone bad.
 */
export async function retryFailed(
  db: Db,
  queueing: SendQueueing,
  date: string,
): Promise<{ reset: number; jobs: number }> {
  const exists = await db.selectFrom('editions').select('status').where('date', '=', date).executeTakeFirst();
  if (!exists) throw new EditionNotFoundError(date);
  // A batch that failed whole is sent again under its own key: should the provider have taken it
  // after all, the same key and body make the retry a no-op there. The failed rows of a batch that
  // partly went out form a batch of their own, under a new key, since the old key now stands for a
  // different body (the provider would refuse it, and the rows would never go out).
  const retryTag = `r${Math.floor(Date.now() / 1000)}`;
  const result = await sql`
    update deliveries d
    set state = 'planned', reason = null, updated_at = now(),
        batch_key = case
          when exists (
            select 1 from deliveries o
            where o.batch_key = d.batch_key and o.edition_date = d.edition_date and o.state <> 'failed'
          ) then d.batch_key || '-' || ${retryTag}
          else d.batch_key
        end
    where d.edition_date = ${date} and d.state = 'failed'`.execute(db);
  const reset = Number(result.numAffectedRows ?? 0);
  // A paused edition keeps its retried deliveries planned; resuming sends them.
  const jobs = reset > 0 && exists.status === 'open' ? await queueing.enqueuePlanned(date) : 0;
  return { reset, jobs };
}
