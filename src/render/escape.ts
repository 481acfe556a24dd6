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

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at NUL on purpose
const NON_ASCII = /[^\u0000-\u007f]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at NUL on purpose
const NON_ASCII_ALL = /[^\u0000-\u007f]/gu;

/**
 * The HTML with every character beyond ASCII written as a numeric character reference (emoji,
 * accents, CJK alike): the same page, whatever charset a mail client assumes, and a string V8 keeps
 * at one byte per character, so the JSON sent to Resend is built, encoded and parsed at half the
 * cost. Safe in text and attribute values; not in <style> or <script>, which the digest templates
 * keep ASCII.
 */
export function asciiHtml(html: string): string {
  if (!NON_ASCII.test(html)) return html;
  return oneByte(html.replace(NON_ASCII_ALL, (c) => `&#${c.codePointAt(0)};`));
}

/** Escaped text (escapeHtml) in ASCII (asciiHtml). */
export function escapeHtmlAscii(text: string): string {
  return asciiHtml(escapeHtml(text));
}

/**
 * The same text (Latin-1 only, which ASCII is) in a string V8 stores at one byte per character.
 * V8 keeps a string at two bytes per character when it was cut from, or replaced in, a string
 * that held a wider character, even when none is left: a digest assembled from such pieces takes
 * twice the memory and two to three times as long to flatten, stringify to JSON and encode, which
 * each email sent to Resend goes through. Rendering pieces made once per template or per paper go
 * through here.
 */
export function oneByte(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('latin1');
}

/** A piece of a digest made once per template or paper: ASCII (asciiHtml), stored at one byte. */
export function htmlPiece(html: string): string {
  return oneByte(asciiHtml(html));
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
