import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { RankedPaper } from '../ranking/types.js';
import { renderDigest } from '../render/render-digest.js';
import { today as todayUtc } from '../sources/days.js';
import { defaultPreferences } from '../subscribers/preferences.js';
import { createEditionContext, selectForSubscriber } from './selection.service.js';

/**
 * The public archive: each edition's default digest (default preferences, no personal links), the
 * same for every visitor, so it is rendered once per edition and kept for `ttlMs` (upvotes keep
 * changing through the day, so not forever).
 */

export interface ArchivedEdition {
  date: string;
  subject: string;
  html: string;
  text: string;
  papers: RankedPaper[];
  updatedAt: Date;
}

export interface Archive {
  /** Editions up to today, newest first. */
  list(limit?: number): Promise<{ date: string; updatedAt: Date }[]>;
  /** The edition's default digest, or undefined when there is no such edition. */
  edition(date: string): Promise<ArchivedEdition | undefined>;
}

const MAX_CACHED = 100;

/** Not a subscriber: id 0 has no feedback and no sent papers, so ranking uses the defaults only. */
const NOBODY = { id: '0', preferences: defaultPreferences };

export function createArchive(
  deps: { db: Db; config: Pick<Config, 'mail'> },
  options: { ttlMs?: number; now?: () => number } = {},
): Archive {
  const ttl = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<ArchivedEdition | undefined> }>();

  async function build(date: string): Promise<ArchivedEdition | undefined> {
    const row = await deps.db
      .selectFrom('editions')
      .select(['date', 'updated_at'])
      .where('date', '=', date)
      .executeTakeFirst();
    if (!row) return undefined;
    const selection = await selectForSubscriber(deps.db, createEditionContext(date), NOBODY);
    const rendered = await renderDigest({
      edition: { date, frequency: 'daily' },
      preferences: {
        template: defaultPreferences.template,
        format: 'html',
        abstracts: defaultPreferences.abstracts,
      },
      papers: selection.papers,
      quiet: selection.papers.length === 0,
      links: {},
      sender: { name: deps.config.mail.senderName, address: deps.config.mail.senderAddress },
      subjectTemplate: deps.config.mail.subjectTemplate,
    });
    return {
      date,
      subject: rendered.subject,
      html: rendered.html ?? '',
      text: rendered.text,
      papers: selection.papers,
      updatedAt: row.updated_at,
    };
  }

  return {
    async list(limit = 30) {
      const today = todayUtc(new Date(now()));
      const rows = await deps.db
        .selectFrom('editions')
        .select(['date', 'updated_at'])
        .where('date', '<=', today)
        .orderBy('date', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ date: r.date, updatedAt: r.updated_at }));
    },
    edition(date) {
      const hit = cache.get(date);
      if (hit && now() - hit.at < ttl) return hit.value;
      const value = build(date);
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      cache.set(date, { at: now(), value });
      // Neither a failed render nor a missing edition is kept: any date can be asked for.
      value.then(
        (found) => found || cache.delete(date),
        () => cache.delete(date),
      );
      return value;
    },
  };
}
