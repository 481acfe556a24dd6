import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { OutgoingEmail, SendOutcome, Transport } from '../delivery/transport.js';
import { findSubscriberByEmail } from '../subscribers/subscribers.repository.js';
import { suppressedAmong } from '../subscribers/suppressions.repository.js';

/**
 * The console's "send a test": the previewed message (delivery's `previewDigest`, the send path's
 * composer) mailed to any address, marked as a test and recorded nowhere.
 */

export class TestSendError extends Error {
  override readonly name = 'TestSendError';
  readonly code = 'TEST_SEND_INVALID' as const;
}

/** "[test]" subject, a `test` tag, no delivery tag (webhook events then match no delivery). */
export function asTest(email: OutgoingEmail, to: string): OutgoingEmail {
  return {
    ...email,
    to,
    subject: `[test] ${email.subject}`,
    tags: [...email.tags.filter((t) => t.name !== 'delivery'), { name: 'test', value: 'true' }],
  };
}

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

export async function sendTest(transport: Transport, email: OutgoingEmail, to: string): Promise<SendOutcome> {
  const address = to.trim();
  if (!ADDRESS.test(address)) throw new TestSendError(`Not an email address: "${to}".`);
  // A fresh key each time: every click sends, unlike digests, whose keys make a retry a no-op.
  return transport.send(asTest(email, address), `paperboy-test/${randomUUID()}`);
}

/** What the send step would stop at for this address (status, suppression), in words. */
export async function sendTimeWarnings(db: Db, email: string): Promise<string[]> {
  const subscriber = await findSubscriberByEmail(db, email);
  if (!subscriber) return [];
  const warnings: string[] = [];
  if (subscriber.status !== 'active')
    warnings.push(`status is ${subscriber.status}: nothing is sent to this address`);
  if ((await suppressedAmong(db, [subscriber.email])).size > 0) warnings.push('the address is suppressed');
  return warnings;
}
