import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { NewPaperRow } from '../db/schema.js';
import { ARXIV_ID, dayOf, describeIssues } from './daily-papers.schema.js';
import { fetchWithRetry, type RetryOptions, sleep } from './http-fetch.js';
import { emptyResult, SourceError, type SourceResult } from './source-result.js';

export interface ArxivOptions extends RetryOptions {
  /** e.g. https://export.arxiv.org (config.sources.arxivBaseUrl). */
  baseUrl: string;
  /** Entries per request. @defaultValue 100 */
  pageSize?: number;
  /** arXiv asks for 3 seconds between calls. @defaultValue 3000 */
  politenessDelayMs?: number;
  /** Stop after this many entries (arXiv itself stops paging at 30,000). @defaultValue 10000 */
  maxResults?: number;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Titles such as "2048" must stay text.
  parseTagValue: false,
  isArray: (name) => name === 'entry' || name === 'author',
});

const entrySchema = z.object({
  id: z.string(),
  title: z.string().refine((v) => v.trim() !== '', 'is empty'),
  summary: z.string().default(''),
  published: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date'),
  author: z.array(z.object({ name: z.string() })).default([]),
});

/**
 * Papers submitted to arXiv between two days (inclusive) that match an arXiv search query such as
 * `cat:cs.AI`, newest last, following pages politely.
 */
export async function fetchArxiv(
  query: string,
  from: string,
  to: string,
  options: ArxivOptions,
): Promise<SourceResult> {
  const size = Math.max(1, options.pageSize ?? 100);
  const max = options.maxResults ?? 10_000;
  const wait = options.sleep ?? sleep;
  const q = /\s/.test(query.trim()) ? `(${query.trim()})` : query.trim();
  const search = `${q} AND submittedDate:[${from.replaceAll('-', '')}0000 TO ${to.replaceAll('-', '')}2359]`;
  const result = emptyResult();
  for (let start = 0; start < max; start += size) {
    if (start > 0) await wait(options.politenessDelayMs ?? 3000);
    const url =
      `${options.baseUrl}/api/query?search_query=${encodeURIComponent(search)}` +
      `&start=${start}&max_results=${Math.min(size, max - start)}&sortBy=submittedDate&sortOrder=ascending`;
    const response = await fetchWithRetry(url, options);
    const text = await response.text();
    if (!response.ok) {
      throw new SourceError(
        'SOURCE_REFUSED',
        `arXiv answered ${response.status} for ${url}: ${text.slice(0, 200)}`,
      );
    }
    const { entries, total } = parseFeed(text, url);
    entries.forEach((entry, i) => {
      result.read++;
      const outcome = mapEntry(entry, start + i + 1);
      if ('rejection' in outcome) result.rejected.push(outcome.rejection);
      else result.rows.push(outcome.row);
    });
    if (entries.length === 0 || start + entries.length >= total) break;
  }
  return result;
}

export function parseFeed(xml: string, url: string): { entries: unknown[]; total: number } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SourceError('SOURCE_BAD_RESPONSE', `${url} returned malformed XML (${valid.err.msg})`);
  }
  const feed = (parser.parse(xml) as { feed?: Record<string, unknown> }).feed;
  if (!feed) throw new SourceError('SOURCE_BAD_RESPONSE', `${url} returned XML that is not an Atom feed`);
  const entries = (feed.entry as unknown[] | undefined) ?? [];
  // arXiv reports a bad query as a feed with a single entry whose id points at its error page.
  const first = entries[0] as { id?: unknown; summary?: unknown } | undefined;
  if (typeof first?.id === 'string' && first.id.includes('/api/errors')) {
    throw new SourceError('SOURCE_REFUSED', `arXiv rejected the query: ${String(first.summary ?? first.id)}`);
  }
  return { entries, total: Number(feed.totalResults ?? entries.length) };
}

function mapEntry(
  entry: unknown,
  position: number,
): { row: NewPaperRow } | { rejection: SourceResult['rejected'][number] } {
  const rawId = (entry as { id?: unknown } | null)?.id;
  const id = typeof rawId === 'string' ? arxivIdFromUrl(rawId) : undefined;
  const where = { position, origin: 'arXiv', ...(id ? { id } : {}) };
  const parsed = entrySchema.safeParse(entry);
  if (!parsed.success) {
    return { rejection: { ...where, ...describeIssues(parsed.error.issues, entry) } };
  }
  if (!id) {
    return { rejection: { ...where, field: 'id', message: `${JSON.stringify(rawId)} holds no arXiv id` } };
  }
  const e = parsed.data;
  return {
    row: {
      id,
      title: collapse(e.title),
      abstract: collapse(e.summary),
      authors: e.author.map((a) => collapse(a.name)).filter(Boolean),
      organization: null,
      organization_name: null,
      published_at: new Date(e.published),
      listed_on: dayOf(e.published)!,
      upvotes: 0,
      comments: 0,
      github_repo: null,
      github_stars: null,
      project_page: null,
      thumbnail: null,
      ai_summary: null,
      ai_keywords: [],
      source: 'arxiv',
    },
  };
}

/** `http://arxiv.org/abs/2411.01234v2` → `2411.01234`; `…/abs/cs/0101001v1` → `cs/0101001`. */
export function arxivIdFromUrl(url: string): string | undefined {
  const match = /\/abs\/(.+)$/.exec(url.trim());
  const id = match?.[1];
  return id && ARXIV_ID.test(id) ? id.replace(/v\d+$/, '') : undefined;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
