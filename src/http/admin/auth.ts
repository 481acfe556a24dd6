import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who may use the operator console. One shared secret, ADMIN_TOKEN, presented as:
 * - `Authorization: Bearer <token>` (scripts, curl);
 * - HTTP basic auth with any user name and the token as password (the browser's own prompt; the
 *   user name is only used to say who did what in the logs);
 * - a session cookie set by the sign-in form: `<name>.<issued>.<mac>`, HMAC-SHA256 keyed by the
 *   token, HttpOnly, SameSite=Strict, scoped to /admin. The token itself never goes in the cookie,
 *   and changing ADMIN_TOKEN signs every session out.
 *
 * Every comparison is constant time (`safeEqual`). Browsers resend basic credentials and cookies on
 * their own, so every form POST also carries a CSRF token (`csrfToken`), which a page on another
 * site cannot read.
 */

export const SESSION_COOKIE = 'paperboy_admin';
/** @defaultValue 12 hours */
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface Actor {
  /** Who, as the logs show it: the basic-auth user, the sign-in name, or "bearer". */
  name: string;
  via: 'bearer' | 'basic' | 'session';
}

/**
 * Constant-time string equality. Both sides are hashed first so inputs of different lengths take
 * the same time too (timingSafeEqual itself throws on a length mismatch).
 */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function mac(token: string, data: string): string {
  return createHmac('sha256', token).update(data).digest('base64url');
}

/** A name fit for a log line and a cookie: short, printable, no separators. */
export function cleanName(name: string | undefined): string {
  const cleaned = (name ?? '')
    .replace(/[^\p{L}\p{N} _@.-]/gu, '')
    .trim()
    .slice(0, 40);
  return cleaned || 'operator';
}

export function sessionValue(token: string, name: string, issuedAt: number): string {
  const who = Buffer.from(cleanName(name)).toString('base64url');
  return `${who}.${issuedAt}.${mac(token, `session:${who}.${issuedAt}`)}`;
}

function readSession(token: string, value: string, now: number): Actor | null {
  const [who, issued, signature] = value.split('.');
  if (!who || !issued || !signature || !/^\d+$/.test(issued)) return null;
  if (!safeEqual(signature, mac(token, `session:${who}.${issued}`))) return null;
  const age = now - Number(issued);
  if (age < -60 || age > SESSION_TTL_SECONDS) return null;
  return { name: Buffer.from(who, 'base64url').toString('utf8'), via: 'session' };
}

export function csrfToken(token: string): string {
  return mac(token, 'csrf');
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The actor behind a request, or null when it carries no valid credentials. */
export function authenticate(
  token: string,
  headers: { authorization?: string; cookie?: string },
  now: number = Math.floor(Date.now() / 1000),
): Actor | null {
  const auth = headers.authorization;
  if (auth) {
    const [scheme, value = ''] = auth.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer')
      return safeEqual(value.trim(), token) ? { name: 'bearer', via: 'bearer' } : null;
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const password = colon >= 0 ? decoded.slice(colon + 1) : '';
      return safeEqual(password, token)
        ? { name: cleanName(decoded.slice(0, Math.max(colon, 0))), via: 'basic' }
        : null;
    }
  }
  const session = readCookie(headers.cookie, SESSION_COOKIE);
  return session ? readSession(token, session, now) : null;
}
