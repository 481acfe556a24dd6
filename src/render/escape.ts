/**
 * Escaping and link filtering for feed text. The escape table is React's own (react-dom's
 * escapeTextForBrowser), so text escaped here is byte-identical to text React escapes: the fast
 * path fills React-rendered HTML with values escaped by this function.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};
const NEEDS_ESCAPE = /["'&<>]/;
const ESCAPE_ALL = /["'&<>]/g;

export function escapeHtml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPE_ALL, (c) => ESCAPES[c] as string);
}

/** The URL when it is an absolute http(s) URL, else null: nothing else may become a link. */
// A URL made only of these characters needs no parsing to be known safe (our own signed links).
const PLAIN_HTTP_URL = /^https?:\/\/[a-z0-9.-]+(?::\d+)?(?:\/[\w\-.~!$&'()*+,;=:@%/?#]*)?$/;

export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (PLAIN_HTTP_URL.test(url)) return url;
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** One line of feed text: control characters and runs of whitespace become single spaces. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const NOT_ONE_LINE = /[\u0000-\u001f\u007f\u2028\u2029]|\s\s|^\s|\s$|[^\S ]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
const BREAKS = /[\u0000-\u001f\u007f\u2028\u2029\s]+/g;

export function oneLine(text: string): string {
  return NOT_ONE_LINE.test(text) ? text.replace(BREAKS, ' ').trim() : text;
}
