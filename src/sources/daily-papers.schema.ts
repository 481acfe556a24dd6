import { type core, z } from 'zod';
import type { NewPaperRow } from '../db/schema.js';
import { describeRecord, emptyResult, type Rejection, type SourceResult } from './source-result.js';

/**
 * One item of Hugging Face's `GET /api/daily_papers` (also the format of `ingest --file`), and its
 * mapping to a papers row. Text is kept exactly as given: escaping is the renderer's job.
 */

/** New-style `2411.01234` (optionally `v2`) and old-style `cs/0101001` or `math.AG/0101001`. */
export const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z][a-z-]*(\.[A-Z]{2})?\/\d{7})(v\d+)?$/i;

const date = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date such as 2026-11-25T08:00:00.000Z');
const count = z.number().int('expected a whole number').min(0, 'must not be negative');
const organization = z
  .object({ name: z.string().min(1, 'is empty'), fullname: z.string().nullish() })
  .nullish();

export const dailyPaperItemSchema = z.object({
  paper: z.object({
    id: z.string().trim().regex(ARXIV_ID, 'expected an arXiv id such as 2411.01234 or cs/0101001'),
    title: z.string().refine((v) => v.trim() !== '', 'is empty'),
    summary: z.string().nullish(),
    authors: z.array(z.object({ name: z.string() })).default([]),
    publishedAt: date.nullish(),
    upvotes: count.default(0),
    ai_summary: z.string().nullish(),
    ai_keywords: z.array(z.string()).nullish(),
    githubRepo: z.string().nullish(),
    githubStars: count.nullish(),
    projectPage: z.string().nullish(),
    organization,
    submittedOnDailyAt: date.nullish(),
  }),
  numComments: count.default(0),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  thumbnail: z.string().nullish(),
  organization,
});

export type DailyPaperItem = z.infer<typeof dailyPaperItemSchema>;

export interface MapOptions {
  /** The day that was asked of the API; otherwise the item's own dates decide. */
  listedOn?: string;
  source: NewPaperRow['source'];
  /** Shown before `record #n` in messages, e.g. `daily_papers 2026-11-25`. */
  origin?: string;
  /** Position of the first item, when the items continue an earlier page. @defaultValue 1 */
  firstPosition?: number;
}

/** Validates every item; good ones become rows, bad ones rejections naming position, id and field. */
export function validateDailyPapers(items: readonly unknown[], options: MapOptions): SourceResult {
  const result = emptyResult();
  const first = options.firstPosition ?? 1;
  items.forEach((item, index) => {
    result.read++;
    const position = first + index;
    const outcome = mapDailyPaper(item, position, options);
    if ('rejection' in outcome) result.rejected.push(outcome.rejection);
    else {
      result.rows.push(outcome.row);
      result.warnings.push(...outcome.warnings);
    }
  });
  return result;
}

export function mapDailyPaper(
  item: unknown,
  position: number,
  options: MapOptions,
): { row: NewPaperRow; warnings: string[] } | { rejection: Rejection } {
  const rawId = (item as { paper?: { id?: unknown } } | null)?.paper?.id;
  const id = typeof rawId === 'string' && rawId.trim() !== '' ? rawId.trim() : undefined;
  const where = { position, id, origin: options.origin };
  const parsed = dailyPaperItemSchema.safeParse(item);
  if (!parsed.success) return { rejection: { ...where, ...describeIssues(parsed.error.issues, item) } };

  const { paper, ...outer } = parsed.data;
  const listedOn =
    options.listedOn ?? dayOf(paper.submittedOnDailyAt) ?? dayOf(paper.publishedAt) ?? undefined;
  if (!listedOn) {
    const message = 'is missing, and so is paper.publishedAt: cannot tell which day the paper was listed';
    return { rejection: { ...where, field: 'paper.submittedOnDailyAt', message } };
  }
  const warnings: string[] = [];
  const link = (field: string, value: string | null | undefined): string | null => {
    if (value == null || value.trim() === '') return null;
    if (isHttpUrl(value)) return value.trim();
    const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    warnings.push(`${describeRecord(where)}: ${field} dropped: ${shown} is not an http(s) URL`);
    return null;
  };
  const org = paper.organization ?? outer.organization ?? null;
  return {
    warnings,
    row: {
      id: paper.id.replace(/v\d+$/, ''),
      title: paper.title,
      abstract: paper.summary ?? outer.summary ?? '',
      authors: paper.authors.map((a) => a.name).filter((n) => n.trim() !== ''),
      organization: org ? org.fullname || org.name : null,
      organization_name: org?.name ?? null,
      published_at: paper.publishedAt ? new Date(paper.publishedAt) : null,
      listed_on: listedOn,
      upvotes: paper.upvotes,
      comments: outer.numComments,
      github_repo: link('paper.githubRepo', paper.githubRepo),
      github_stars: paper.githubStars ?? null,
      project_page: link('paper.projectPage', paper.projectPage),
      thumbnail: link('thumbnail', outer.thumbnail),
      ai_summary: paper.ai_summary ?? null,
      ai_keywords: paper.ai_keywords ?? [],
      source: options.source,
    },
  };
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** 'YYYY-MM-DD' of a timestamp, in UTC (the day Hugging Face lists by). */
export function dayOf(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}

/** The first problem, in words a person fixing the file can act on; the others are counted. */
export function describeIssues(
  issues: core.$ZodIssue[],
  input: unknown,
): Pick<Rejection, 'field' | 'message'> {
  const [issue] = issues;
  if (!issue) return { field: '(record)', message: 'is not valid' };
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return { field: fieldPath(issue.path), message: issueMessage(issue, valueAt(input, issue.path)) + more };
}

export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(record)';
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function issueMessage(issue: core.$ZodIssue, value: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const expected = issue.expected === 'int' ? 'a whole number' : withArticle(issue.expected);
  if (value === undefined) return `expected ${expected}, but it is missing`;
  return `expected ${expected}, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : withArticle(typeof value)}`;
}

function withArticle(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
