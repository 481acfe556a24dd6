import type { PaperRow } from '../db/schema.js';

/** A paper as the rest of the app sees it: what ranking, rendering and the pages work with. */
export interface Paper {
  /** arXiv id, e.g. "2411.01234". */
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** Display name of the organisation that submitted it, when there is one. */
  organization: string | null;
  /** Hugging Face handle of that organisation. */
  organizationName: string | null;
  publishedAt: Date | null;
  /** The day the paper joined the daily list, 'YYYY-MM-DD'. */
  listedOn: string;
  upvotes: number;
  comments: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  thumbnail: string | null;
  aiSummary: string | null;
  aiKeywords: string[];
}

export function paperFromRow(row: PaperRow): Paper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: row.authors,
    organization: row.organization,
    organizationName: row.organization_name,
    publishedAt: row.published_at,
    listedOn: row.listed_on,
    upvotes: row.upvotes,
    comments: row.comments,
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    thumbnail: row.thumbnail,
    aiSummary: row.ai_summary,
    aiKeywords: row.ai_keywords,
  };
}

/** The page a paper's title links to: its Hugging Face page. */
export function paperUrl(paper: Pick<Paper, 'id'>): string {
  return `https://huggingface.co/papers/${encodeURIComponent(paper.id)}`;
}

export function arxivUrl(paper: Pick<Paper, 'id'>): string {
  return `https://arxiv.org/abs/${encodeURIComponent(paper.id)}`;
}
