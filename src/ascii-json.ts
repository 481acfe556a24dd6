/**
 * JSON written in ASCII: every character beyond it as a \u escape (UTF-16 units, as JSON has
 * them), which any JSON reader turns back into the same character. The Resend transport posts its
 * batches so (V8 encodes a string holding one wider character to UTF-8 at a tenth of the speed of
 * an ASCII one), and the renderer escapes the text part of a digest so, piece by piece, once.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

/** JSON text with every character beyond ASCII as a \u escape. */
export function escapeNonAscii(json: string): string {
  if (!NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON.stringify in ASCII. */
export function asciiJson(value: unknown): string {
  return escapeNonAscii(JSON.stringify(value));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes control characters
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f]/;

/** Whether the text changes between the quotes of a JSON string. */
export function needsJsonEscape(text: string): boolean {
  return NEEDS_JSON_ESCAPE.test(text);
}

/** A string as it goes between the quotes of an ASCII JSON string. */
export function asciiJsonText(text: string): string {
  return asciiJson(text).slice(1, -1);
}
