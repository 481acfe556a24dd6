import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { SuppressionRow } from '../db/schema.js';

/**
 * The suppression list: addresses never mailed again (hard bounces, complaints, Resend's own
 * suppressions, operators' entries). Per address, case-insensitive, kept when a subscriber deletes
 * their data. Removing an entry keeps it as history with the operator's reason.
 */

export type SuppressionReason = 'hard_bounce' | 'complaint' | 'soft_bounce_limit' | 'provider' | 'manual';

/** The lower-cased addresses among `emails` that are suppressed. */
export async function suppressedAmong(db: Db, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const lowered = [...new Set(emails.map((e) => e.toLowerCase()))];
  const rows = await db
    .selectFrom('suppressions')
    .select(sql<string>`lower(email)`.as('email'))
    .where('removed_at', 'is', null)
    .where(sql<string>`lower(email)`, 'in', lowered)
    .execute();
  return new Set(rows.map((r) => r.email));
}

/** Adds the address to the list; an address already on it keeps its first reason. */
export async function suppress(
  db: Db,
  email: string,
  reason: SuppressionReason,
  detail?: string,
): Promise<void> {
  await sql`
    insert into suppressions (email, reason, detail) values (${email}, ${reason}, ${detail ?? null})
    on conflict (lower(email)) where removed_at is null do nothing`.execute(db);
}

export async function listSuppressions(
  db: Db,
  options: { includeRemoved?: boolean } = {},
): Promise<SuppressionRow[]> {
  let query = db.selectFrom('suppressions').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (!options.includeRemoved) query = query.where('removed_at', 'is', null);
  return query.execute();
}

/** Lifts a suppression, keeping the row with the operator's reason. Returns false when there was none. */
export async function removeSuppression(db: Db, email: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('suppressions')
    .set({ removed_at: new Date(), removed_reason: reason })
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
