import { SourceError } from './source-result.js';

/** How a source retries: injectable sleep and fetch keep the tests fast and offline. */
export interface RetryOptions {
  /** Tries in total, the first included. @defaultValue 5 */
  maxAttempts?: number;
  /** The first backoff delay; it doubles on every retry. @defaultValue 1000 */
  baseDelayMs?: number;
  /** The longest single wait, from backoff or `retry-after` (Hugging Face counts requests over 5 minutes). @defaultValue 300000 */
  maxDelayMs?: number;
  /** Per-request time limit. @defaultValue 30000 */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Told about every retry (the CLI logs them). */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * GETs a URL, retrying 429 (after its `retry-after`), 5xx and network errors with exponential
 * backoff. Any other answer, 2xx or 4xx, is returned for the caller to judge.
 */
export async function fetchWithRetry(url: string, options: RetryOptions = {}): Promise<Response> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 300_000;
  const wait = options.sleep ?? sleep;
  const doFetch = options.fetch ?? fetch;
  let reason = '';
  for (let attempt = 1; ; attempt++) {
    let delay = Math.min(maxDelay, base * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4));
    try {
      const response = await doFetch(url, {
        headers: { accept: 'application/json, application/atom+xml;q=0.9, */*;q=0.1' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      if (response.status !== 429 && response.status < 500) return response;
      await response.body?.cancel().catch(() => {});
      reason = `HTTP ${response.status}`;
      const after = response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
      if (after !== undefined) delay = Math.min(maxDelay, after);
    } catch (error) {
      reason = networkReason(error);
    }
    if (attempt >= maxAttempts) {
      throw new SourceError(
        'SOURCE_UNREACHABLE',
        `${url} failed ${maxAttempts} time${maxAttempts === 1 ? '' : 's'} (last: ${reason}); try again later`,
      );
    }
    options.onRetry?.({ url, attempt, delayMs: Math.round(delay), reason });
    await wait(delay);
  }
}

/** `retry-after` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body as JSON, or an error naming the URL when it is not JSON. */
export async function readJson(response: Response, url: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new SourceError('SOURCE_BAD_RESPONSE', `${url} returned malformed JSON (${why})`);
  }
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
