import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { fetchArxiv } from '../sources/arxiv.source.js';
import { readDailyPapersFile } from '../sources/file.source.js';
import type { RetryOptions } from '../sources/http-fetch.js';
import { fetchDailyPapers } from '../sources/huggingface.source.js';
import { SourceError } from '../sources/source-result.js';
import { addSummary, emptySummary, type IngestSummary, ingestResult, storedCount } from './ingest.js';

/** What to ingest: Hugging Face days, an arXiv query over a date range, or a daily_papers file. */
export type IngestPlan =
  | { kind: 'hf'; days: string[] }
  | { kind: 'arxiv'; query: string; from: string; to: string }
  | { kind: 'file'; path: string };

export interface RunHooks {
  /** Progress in days (Hugging Face) or rows written (file, arXiv). */
  onProgress?: (done: number, total: number) => void;
  /** Retry and timing knobs for the HTTP sources (tests shorten the delays). */
  http?: RetryOptions & { politenessDelayMs?: number };
}

/** The demo's bundled sample of daily_papers items. */
export const SAMPLE_FILE = fileURLToPath(new URL('../../data/sample-daily-papers.json', import.meta.url));

/** Reads the plan's source and stores what is valid; Hugging Face days are stored one by one. */
export async function runIngest(
  db: Db,
  config: Config,
  plan: IngestPlan,
  hooks: RunHooks = {},
): Promise<IngestSummary> {
  if (plan.kind === 'file') {
    return ingestResult(db, await readDailyPapersFile(plan.path), { onProgress: hooks.onProgress });
  }
  if (plan.kind === 'arxiv') {
    const result = await fetchArxiv(plan.query, plan.from, plan.to, {
      ...hooks.http,
      baseUrl: config.sources.arxivBaseUrl,
    });
    return ingestResult(db, result, { onProgress: hooks.onProgress });
  }
  const summary = emptySummary();
  for (const [i, day] of plan.days.entries()) {
    try {
      const result = await fetchDailyPapers(day, { ...hooks.http, baseUrl: config.sources.hfBaseUrl });
      addSummary(summary, await ingestResult(db, result));
    } catch (error) {
      if (!(error instanceof SourceError) || i === 0) throw error;
      const kept = `${storedCount(summary)} papers from the days before ${day} are stored`;
      throw new SourceError(error.code, `${error.message} (stopped there; ${kept})`);
    }
    hooks.onProgress?.(i + 1, plan.days.length);
  }
  return summary;
}
