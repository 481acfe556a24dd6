import type { Db } from '../../src/db/database.js';
import type { Paper } from '../../src/papers/paper.js';
import type { PreferencesInput } from '../../src/subscribers/preferences.js';

/** Bulk test data straight into the tables (fast enough for 100k rows). */

export async function seedPapers(db: Db, papers: Paper[]): Promise<void> {
  for (let i = 0; i < papers.length; i += 500) {
    await db
      .insertInto('papers')
      .values(
        papers.slice(i, i + 500).map((p) => ({
          id: p.id,
          title: p.title,
          abstract: p.abstract,
          authors: JSON.stringify(p.authors),
          organization: p.organization,
          organization_name: p.organizationName,
          published_at: p.publishedAt ?? null,
          listed_on: p.listedOn,
          upvotes: p.upvotes,
          comments: p.comments,
          github_repo: p.githubRepo,
          github_stars: p.githubStars,
          project_page: p.projectPage,
          thumbnail: p.thumbnail,
          ai_summary: p.aiSummary,
          ai_keywords: JSON.stringify(p.aiKeywords),
          source: 'file' as const,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export interface SeedSubscriber {
  email: string;
  status?: 'pending' | 'active' | 'unsubscribed';
  preferences?: PreferencesInput;
}

/** Inserts subscribers; returns their ids in order. */
export async function seedSubscribers(db: Db, subscribers: SeedSubscriber[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < subscribers.length; i += 2000) {
    const rows = await db
      .insertInto('subscribers')
      .values(
        subscribers.slice(i, i + 2000).map((s) => ({
          email: s.email,
          status: s.status ?? 'active',
          preferences: JSON.stringify(s.preferences ?? {}),
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => String(r.id)));
  }
  return ids;
}

export function manySubscribers(n: number, start = 0, preferences: PreferencesInput = {}): SeedSubscriber[] {
  return Array.from({ length: n }, (_, i) => ({ email: `reader${start + i}@example.com`, preferences }));
}
