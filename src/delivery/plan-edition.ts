import type { Db } from '../db/database.js';
import { type Preferences, readPreferences } from '../subscribers/preferences.js';
import { BATCH_SIZE, ensureEdition, insertPlannedBatches } from './deliveries.repository.js';
import { dueEditionAt, isDueForEdition, parseUtcHour } from './schedule.js';

/**
 * Planning: the subscribers due now get one delivery row each (unique per edition and
 * subscriber, so a second planner or a re-run adds nothing), in fixed batches of ≤ 100 inserted
 * and handed to `enqueueSends` page by page, so sending starts while planning goes on.
 * Subscribers are read in keyset pages: memory stays flat whatever their number.
 */

export interface SendBatchRef {
  batchKey: string;
  editionDate: string;
}

export interface PlanDeps {
  db: Db;
  enqueueSends(batches: SendBatchRef[]): Promise<void>;
  /** Subscribers read per query. @defaultValue 1000 */
  pageSize?: number;
}

export interface PlanResult {
  /** Active subscribers looked at. */
  scanned: number;
  /** Per edition date: subscribers due, and rows new this run. */
  editions: Record<string, { due: number; planned: number }>;
  batches: number;
}

export interface DueSubscriber {
  id: string;
  email: string;
  preferences: Preferences;
  editionDate: string;
}

/** Active subscribers for whom `pick` names an edition, page by page in id order. */
export async function* dueSubscribers(
  db: Db,
  pick: (preferences: Preferences) => string | undefined,
  pageSize = 1000,
): AsyncGenerator<{ scanned: number; due: DueSubscriber[] }> {
  let after = '0';
  for (;;) {
    const page = await db
      .selectFrom('subscribers')
      .select(['id', 'email', 'preferences'])
      .where('status', '=', 'active')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    after = String(page.at(-1)!.id);
    const due: DueSubscriber[] = [];
    for (const row of page) {
      const preferences = readPreferences(row.preferences);
      const editionDate = pick(preferences);
      if (editionDate) due.push({ id: String(row.id), email: row.email, preferences, editionDate });
    }
    yield { scanned: page.length, due };
    if (page.length < pageSize) return;
  }
}

async function plan(deps: PlanDeps, pick: (p: Preferences) => string | undefined): Promise<PlanResult> {
  const result: PlanResult = { scanned: 0, editions: {}, batches: 0 };
  // Due subscribers wait here, per edition, until they fill a batch (fewer than BATCH_SIZE each).
  const waiting = new Map<string, string[]>();
  /** Plans the batches and queues their sends: sending starts while planning goes on. */
  const insert = async (date: string, batches: string[][]) => {
    const planned = await insertPlannedBatches(deps.db, date, batches);
    for (const b of planned) result.editions[date]!.planned += b.inserted;
    if (planned.length === 0) return;
    await deps.enqueueSends(planned.map((b) => ({ batchKey: b.batchKey, editionDate: date })));
    result.batches += planned.length;
  };
  for await (const { scanned, due } of dueSubscribers(deps.db, pick, deps.pageSize)) {
    result.scanned += scanned;
    const full = new Map<string, string[][]>();
    for (const s of due) {
      if (!result.editions[s.editionDate]) {
        await ensureEdition(deps.db, s.editionDate);
        result.editions[s.editionDate] = { due: 0, planned: 0 };
      }
      result.editions[s.editionDate]!.due++;
      let ids = waiting.get(s.editionDate);
      if (!ids) {
        ids = [];
        waiting.set(s.editionDate, ids);
      }
      ids.push(s.id);
      if (ids.length === BATCH_SIZE) {
        const batches = full.get(s.editionDate) ?? [];
        batches.push(ids.splice(0));
        full.set(s.editionDate, batches);
      }
    }
    // The page's full batches, an edition's in one statement.
    for (const [date, batches] of full) await insert(date, batches);
  }
  for (const [date, ids] of waiting) await insert(date, [ids]);
  return result;
}

/** Plans what is due in one UTC hour ('2026-11-24T07'): each subscriber at their own local send hour. */
export function planHour(deps: PlanDeps, hour: string): Promise<PlanResult> {
  const start = parseUtcHour(hour);
  return plan(deps, (p) => dueEditionAt(p, start));
}

/** Plans edition `date` for every active subscriber due for it, whatever their send hour (manual run). */
export function planDay(deps: PlanDeps, date: string): Promise<PlanResult> {
  return plan(deps, (p) => (isDueForEdition(p, date) ? date : undefined));
}
