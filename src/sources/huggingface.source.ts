import { validateDailyPapers } from './daily-papers.schema.js';
import { fetchWithRetry, type RetryOptions, readJson } from './http-fetch.js';
import { emptyResult, mergeResults, SourceError, type SourceResult } from './source-result.js';

export interface HuggingFaceOptions extends RetryOptions {
  /** e.g. https://huggingface.co (config.sources.hfBaseUrl). */
  baseUrl: string;
  /** Items per page; the API allows at most 100. @defaultValue 100 */
  pageSize?: number;
  /** A guard against a server that ignores `p` and repeats its first page. @defaultValue 50 */
  maxPages?: number;
}

/**
 * The papers Hugging Face listed on one day (`GET /api/daily_papers?date=`), every page of them.
 * A weekend gives an empty result; a future date is refused by the API and becomes a SourceError.
 */
export async function fetchDailyPapers(date: string, options: HuggingFaceOptions): Promise<SourceResult> {
  const limit = Math.min(100, Math.max(1, options.pageSize ?? 100));
  const maxPages = options.maxPages ?? 50;
  const result = emptyResult();
  for (let page = 0; page < maxPages; page++) {
    const url = `${options.baseUrl}/api/daily_papers?date=${date}&p=${page}&limit=${limit}`;
    const response = await fetchWithRetry(url, options);
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ').trim();
      const hint = response.status === 400 ? ' (is the date in the future? Hugging Face refuses those)' : '';
      throw new SourceError(
        'SOURCE_REFUSED',
        `Hugging Face answered ${response.status} for daily_papers of ${date}${hint}${body ? `: ${body}` : ''}`,
      );
    }
    const items = await readJson(response, url);
    if (!Array.isArray(items)) {
      throw new SourceError('SOURCE_BAD_RESPONSE', `${url} returned ${typeof items}, not an array of papers`);
    }
    mergeResults(
      result,
      validateDailyPapers(items, {
        listedOn: date,
        source: 'hf',
        origin: `daily_papers ${date}`,
        firstPosition: result.read + 1,
      }),
    );
    if (items.length < limit) return result;
  }
  result.warnings.push(`daily_papers ${date}: stopped after ${maxPages} pages; the rest was not read`);
  return result;
}
