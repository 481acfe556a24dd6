import type { Db } from '../db/database.js';
import { rankDuration } from '../metrics.js';
import { type Paper, paperFromRow } from '../papers/paper.js';
import { buildEditionIndex, type EditionIndex } from '../ranking/edition-index.js';
import { type FeedbackVote, rankPapers } from '../ranking/rank.js';
import type { Selection } from '../ranking/types.js';
import type { Preferences } from '../subscribers/preferences.js';
import { editionWindow } from './edition-window.js';

/**
 * The database side of ranking: load an edition's papers once, build its index once, then rank any
 * number of subscribers with their feedback and already-sent papers loaded in bulk. Used by
 * delivery (send time), preview and the subscriber pages.
 */

export interface SubscriberToRank {
  id: string;
  preferences: Preferences;
}

/** Papers listed in the window of the edition `date` for `frequency`, in id order. */
export async function loadEditionPapers(
  db: Db,
  date: string,
  frequency: Preferences['frequency'],
): Promise<Paper[]> {
  const window = editionWindow(date, frequency);
  const rows = await db
    .selectFrom('papers')
    .selectAll()
    .where('listed_on', '>=', window.start)
    .where('listed_on', '<=', window.end)
    .orderBy('id')
    .execute();
  return rows.map(paperFromRow);
}

/**
 * One edition day: builds each window's index (one day, or seven for weekly digests) on first use
 * and keeps it, so a process ranking thousands of subscribers tokenises the papers once.
 */
export class EditionContext {
  private indexes = new Map<number, Promise<EditionIndex>>();
  constructor(readonly date: string) {
    editionWindow(date, 'daily'); // fails early on a malformed date
  }

  index(db: Db, frequency: Preferences['frequency']): Promise<EditionIndex> {
    const span = editionWindow(this.date, frequency).days.length;
    let index = this.indexes.get(span);
    if (!index) {
      index = loadEditionPapers(db, this.date, frequency).then((papers) =>
        buildEditionIndex(papers, editionWindow(this.date, frequency)),
      );
      index.catch(() => this.indexes.delete(span));
      this.indexes.set(span, index);
    }
    return index;
  }
}

export function createEditionContext(date: string): EditionContext {
  return new EditionContext(date);
}

/** Subscriber ids go into `in (...)` lists; keep each list well under PostgreSQL's parameter limit. */
const CHUNK = 5_000;

async function loadHistory(db: Db, date: string, ids: string[]) {
  const feedback = new Map<string, FeedbackVote[]>();
  const sent = new Map<string, Set<string>>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const votes = await db
      .selectFrom('feedback')
      .innerJoin('papers', 'papers.id', 'feedback.paper_id')
      .selectAll('papers')
      .select(['feedback.subscriber_id', 'feedback.value'])
      .where('feedback.subscriber_id', 'in', chunk)
      .orderBy('feedback.subscriber_id')
      .orderBy('feedback.paper_id')
      .execute();
    for (const row of votes) {
      const id = String(row.subscriber_id);
      const list = feedback.get(id) ?? [];
      list.push({ paper: paperFromRow(row), value: row.value > 0 ? 1 : -1 });
      feedback.set(id, list);
    }
    const deliveries = await db
      .selectFrom('deliveries')
      .select(['subscriber_id', 'paper_ids'])
      .where('state', '=', 'sent')
      .where('edition_date', '<', date)
      .where('subscriber_id', 'in', chunk)
      .execute();
    for (const row of deliveries) {
      const id = String(row.subscriber_id);
      const set = sent.get(id) ?? new Set<string>();
      for (const paperId of row.paper_ids ?? []) set.add(paperId);
      sent.set(id, set);
    }
  }
  return { feedback, sent };
}

/** Ranks each subscriber for the edition; feedback and sent papers come in two queries per 5,000 subscribers. */
export async function selectForSubscribers(
  db: Db,
  ctx: EditionContext,
  subscribers: readonly SubscriberToRank[],
): Promise<Map<string, Selection>> {
  const endTimer = rankDuration.startTimer(); // metrics (src/metrics.ts)
  // Only stored subscribers (numeric ids) have a history; a preview for nobody has none.
  const ids = [...new Set(subscribers.map((s) => String(s.id)))].filter((id) => /^\d+$/.test(id));
  const { feedback, sent } = await loadHistory(db, ctx.date, ids);
  const result = new Map<string, Selection>();
  for (const subscriber of subscribers) {
    const id = String(subscriber.id);
    const index = await ctx.index(db, subscriber.preferences.frequency);
    result.set(
      id,
      rankPapers(index, {
        preferences: subscriber.preferences,
        feedback: feedback.get(id) ?? [],
        sentPaperIds: sent.get(id) ?? [],
      }),
    );
  }
  endTimer();
  return result;
}

export async function selectForSubscriber(
  db: Db,
  ctx: EditionContext,
  subscriber: SubscriberToRank,
): Promise<Selection> {
  const result = await selectForSubscribers(db, ctx, [subscriber]);
  return result.get(String(subscriber.id)) as Selection;
}
