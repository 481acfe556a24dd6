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

/**
 * Adds the address to the list; an address already on it keeps its first reason. Returns false
 * when it was already there.
 */
export async function suppress(
  db: Db,
  email: string,
  reason: SuppressionReason,
  detail?: string,
): Promise<boolean> {
  const result = await sql`
    insert into suppressions (email, reason, detail) values (${email}, ${reason}, ${detail ?? null})
    on conflict (lower(email)) where removed_at is null do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** The active entry for an address, if any. */
export async function findSuppression(db: Db, email: string): Promise<SuppressionRow | undefined> {
  return db
    .selectFrom('suppressions')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

export async function listSuppressions(
  db: Db,
  options: { includeRemoved?: boolean } = {},
): Promise<SuppressionRow[]> {
  let query = db.selectFrom('suppressions').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (!options.includeRemoved) query = query.where('removed_at', 'is', null);
  return query.execute();
}

/**
 * Lifts a suppression, keeping the row with the operator's reason (and name, when given). Returns
 * false when there was none.
 */
export async function removeSuppression(
  db: Db,
  email: string,
  reason: string,
  by?: string,
): Promise<boolean> {
  const result = await db
    .updateTable('suppressions')
    .set({ removed_at: new Date(), removed_reason: reason, removed_by: by ?? null })
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
