import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens for every link in an email: HMAC-SHA256 over (purpose, subscriber, token version,
 * expiry, and an optional subject such as a paper id), compared in constant time and accepted under
 * the current and the previous secret so secrets can be rotated. Bumping the subscriber's token
 * version revokes every older link.
 *
 * Format: base64url("<purpose>.<subscriberId>.<version>.<expires|0>.<subject>") "." base64url(mac)
 */

export const PURPOSES = ['confirm', 'preferences', 'unsubscribe', 'feedback', 'view'] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface TokenClaims {
  purpose: Purpose;
  subscriberId: string;
  version: number;
  /** Unix seconds; 0 or absent: never expires. */
  expiresAt?: number;
  /** What the link acts on, e.g. "<paperId>:more" for feedback or a date for view. */
  subject?: string;
}

export interface Secrets {
  current: string;
  previous?: string | undefined;
}

/** Each secret as a key object, made once: from a string the key is set up again for every link. */
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 16) keys.clear();
    key = createSecretKey(Buffer.from(secret));
    keys.set(secret, key);
  }
  return key;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', keyOf(secret)).update(payload).digest();
}

export function signToken(secrets: Secrets, claims: TokenClaims): string {
  const subject = claims.subject ?? '';
  const payload = [claims.purpose, claims.subscriberId, claims.version, claims.expiresAt ?? 0, subject].join(
    '.',
  );
  return `${Buffer.from(payload).toString('base64url')}.${mac(secrets.current, payload).toString('base64url')}`;
}

/**
 * Returns the claims when the token is genuine, of the expected purpose and not expired; otherwise
 * undefined. The subscriber's current token version is checked by the caller (it lives in the DB).
 */
export function verifyToken(
  secrets: Secrets,
  token: string,
  expected: Purpose,
  now: Date = new Date(),
): TokenClaims | undefined {
  if (typeof token !== 'string' || token.length > 1024) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const encodedPayload = token.slice(0, dot);
  const encodedMac = token.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(encodedPayload) || !/^[A-Za-z0-9_-]+$/.test(encodedMac)) return undefined;
  const payload = Buffer.from(encodedPayload, 'base64url').toString();
  // Reject non-canonical encodings, so one payload has exactly one token text.
  if (Buffer.from(payload).toString('base64url') !== encodedPayload) return undefined;
  const given = Buffer.from(encodedMac, 'base64url');
  if (given.toString('base64url') !== encodedMac) return undefined;
  const genuine = [secrets.current, secrets.previous]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .some((secret) => {
      const wanted = mac(secret, payload);
      return given.length === wanted.length && timingSafeEqual(given, wanted);
    });
  if (!genuine) return undefined;
  const parts = payload.split('.');
  if (parts.length < 5) return undefined;
  const [purpose, subscriberId, version, expires] = parts as [string, string, string, string];
  const subject = parts.slice(4).join('.');
  if (purpose !== expected) return undefined;
  if (!/^\d+$/.test(subscriberId) || !/^\d+$/.test(version) || !/^\d+$/.test(expires)) return undefined;
  const expiresAt = Number(expires);
  if (expiresAt !== 0 && expiresAt * 1000 < now.getTime()) return undefined;
  return {
    purpose,
    subscriberId,
    version: Number(version),
    ...(expiresAt ? { expiresAt } : {}),
    ...(subject ? { subject } : {}),
  };
}
