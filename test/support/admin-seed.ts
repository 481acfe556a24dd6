import type { Db } from '../../src/db/database.js';
import type { Paper } from '../../src/papers/paper.js';

/** Writes papers straight into the table (the ingest path has its own tests). */
export async function insertPapers(db: Db, papers: Paper[]): Promise<void> {
  if (papers.length === 0) return;
  await db
    .insertInto('papers')
    .values(
      papers.map((p) => ({
        id: p.id,
        title: p.title,
        abstract: p.abstract,
        authors: JSON.stringify(p.authors),
        organization: p.organization,
        organization_name: p.organizationName,
        published_at: p.publishedAt,
        listed_on: p.listedOn,
        upvotes: p.upvotes,
        comments: p.comments,
        github_repo: p.githubRepo,
        github_stars: p.githubStars,
        project_page: p.projectPage,
        thumbnail: p.thumbnail,
        ai_summary: p.aiSummary,
        ai_keywords: JSON.stringify(p.aiKeywords),
        source: 'hf' as const,
      })),
    )
    .execute();
}

export async function insertSubscriber(
  db: Db,
  email: string,
  preferences: Record<string, unknown> = {},
): Promise<string> {
  const row = await db
    .insertInto('subscribers')
    .values({ email, status: 'active', preferences: JSON.stringify(preferences), confirmed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}
