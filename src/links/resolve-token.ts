import type { Db } from '../db/database.js';
import { getSubscriber, type Subscriber } from '../subscribers/subscribers.repository.js';
import { type Purpose, type Secrets, type TokenClaims, verifyToken } from './tokens.js';

/** A link that checked out: whose it is and what it says. */
export interface ResolvedToken {
  subscriber: Subscriber;
  claims: TokenClaims;
}

/**
 * The database side of a signed link: the token must be genuine (current or previous secret), of
 * `purpose`, unexpired, and carry the subscriber's current token version, so bumping the version
 * revokes every older link. Anything else — tampered, foreign, wrong purpose, expired, revoked, or
 * a subscriber that was deleted — is undefined, and callers answer all of them the same way.
 */
export async function resolveToken(
  db: Db,
  secrets: Secrets,
  token: string,
  purpose: Purpose,
  now: Date = new Date(),
): Promise<ResolvedToken | undefined> {
  const claims = verifyToken(secrets, token, purpose, now);
  if (!claims) return undefined;
  // bigint ids: a digit string beyond bigint range would make Postgres throw, not just miss.
  if (claims.subscriberId.length > 18) return undefined;
  const subscriber = await getSubscriber(db, claims.subscriberId);
  if (!subscriber || subscriber.tokenVersion !== claims.version) return undefined;
  return { subscriber, claims };
}
