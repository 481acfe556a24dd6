import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { NewPaperRow } from '../db/schema.js';
import { type Paper, paperFromRow } from './paper.js';

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

export interface UpsertOptions {
  /** Rows per statement; capped so a statement stays under PostgreSQL's 65,535 parameters. @defaultValue 1000 */
  chunkSize?: number;
  /** Called after each statement with the rows written so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

const PG_MAX_PARAMETERS = 65_535;
const COLUMNS_PER_ROW = 19;

/** arXiv knows nothing of upvotes, code or summaries: an arXiv row must not blank what HF gave. */
const community = (column: string): RawBuilder<any> =>
  sql`case when excluded.source = 'arxiv' then ${sql.ref(`papers.${column}`)} else ${sql.ref(`excluded.${column}`)} end`;

/**
 * Inserts new papers and refreshes known ones (upvotes, comments, stars and the other fields that
 * change after listing). `first_seen_at` and `listed_on` keep their first values, so a paper seen
 * again later never moves to another edition. Within one call the last row for an id wins.
 */
export async function upsertPapers(
  db: Db,
  rows: readonly NewPaperRow[],
  options: UpsertOptions = {},
): Promise<UpsertCounts> {
  // One statement cannot touch a row twice ("ON CONFLICT DO UPDATE command cannot affect row a second time").
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  const size = Math.max(
    1,
    Math.min(options.chunkSize ?? 1000, Math.floor(PG_MAX_PARAMETERS / COLUMNS_PER_ROW)),
  );
  const counts: UpsertCounts = { inserted: 0, updated: 0 };
  const write = async (trx: Db) => {
    for (let start = 0; start < unique.length; start += size) {
      const chunk = unique.slice(start, start + size).map(forInsert);
      const result = await trx
        .insertInto('papers')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            abstract: eb.ref('excluded.abstract'),
            authors: eb.ref('excluded.authors'),
            published_at: sql`coalesce(excluded.published_at, papers.published_at)`,
            organization: community('organization'),
            organization_name: community('organization_name'),
            upvotes: community('upvotes'),
            comments: community('comments'),
            github_repo: community('github_repo'),
            github_stars: community('github_stars'),
            project_page: community('project_page'),
            thumbnail: community('thumbnail'),
            ai_summary: community('ai_summary'),
            ai_keywords: community('ai_keywords'),
            source: community('source'),
            updated_at: sql`now()`,
          })),
        )
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .execute();
      for (const r of result) counts[r.inserted ? 'inserted' : 'updated']++;
      options.onProgress?.(Math.min(start + size, unique.length), unique.length);
    }
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return counts;
}

/** jsonb parameters must be JSON text: pg would send a JS array as a PostgreSQL array literal. */
function forInsert(row: NewPaperRow): NewPaperRow {
  return {
    ...row,
    authors: typeof row.authors === 'string' ? row.authors : JSON.stringify(row.authors),
    ai_keywords: typeof row.ai_keywords === 'string' ? row.ai_keywords : JSON.stringify(row.ai_keywords),
  };
}

/** Papers listed on the days from `from` to `to` (inclusive, 'YYYY-MM-DD'), most upvoted first each day. */
export async function papersListedBetween(db: Db, from: string, to: string): Promise<Paper[]> {
  const rows = await db
    .selectFrom('papers')
    .selectAll()
    .where('listed_on', '>=', from)
    .where('listed_on', '<=', to)
    .orderBy('listed_on')
    .orderBy('upvotes', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(paperFromRow);
}

export async function getPaper(db: Db, id: string): Promise<Paper | undefined> {
  const row = await db.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && paperFromRow(row);
}

export async function countPapers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The most recent listing day that has papers, or null on an empty database. */
export async function latestListedDate(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.max('listed_on').as('latest'))
    .executeTakeFirst();
  return row?.latest ?? null;
}
