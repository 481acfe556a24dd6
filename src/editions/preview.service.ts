import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Composer, Recipient } from '../delivery/compose-digest.js';
import type { OutgoingEmail, SendOutcome, Transport } from '../delivery/transport.js';
import type { RankedPaper } from '../ranking/types.js';
import { defaultPreferences, type Preferences, type TemplateName } from '../subscribers/preferences.js';
import { findSubscriberByEmail } from '../subscribers/subscribers.repository.js';
import { suppressedAmong } from '../subscribers/suppressions.repository.js';

/**
 * The operator's preview: what one subscriber (or a reader with default preferences) would get for
 * one edition, built by delivery's composer — the very code that sends — so ranking, rendering,
 * headers and tags are the real ones. A test send mails that same message to any address, marked
 * as a test and recorded nowhere.
 */

export interface PreviewRequest {
  /** The subscriber's address; ignored with `useDefaults`. */
  email: string;
  useDefaults: boolean;
  date: string;
  /** Overrides of the subscriber's own choice. */
  template?: TemplateName;
  format?: Preferences['format'];
}

export interface Preview {
  email?: OutgoingEmail;
  papers: RankedPaper[];
  /** Why nothing would be sent (a quiet day the subscriber skips). */
  skipped?: string;
  /** Send-time checks that would stop this email (status, suppression). */
  warnings: string[];
}

export class PreviewError extends Error {
  override readonly name = 'PreviewError';
  readonly code = 'PREVIEW_INVALID' as const;
}

/** A stand-in address for the default-preferences preview; the footer shows it. */
const DEFAULT_READER = 'reader@example.org';

export async function previewDigest(
  deps: { db: Db; composer: Composer },
  request: PreviewRequest,
): Promise<Preview> {
  const { db } = deps;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date))
    throw new PreviewError(`Not a date: "${request.date}" (want YYYY-MM-DD).`);
  const warnings: string[] = [];
  let recipient: Recipient;
  if (request.useDefaults || request.email.trim() === '') {
    recipient = {
      deliveryId: 'preview',
      subscriberId: '0',
      email: DEFAULT_READER,
      preferences: defaultPreferences,
      tokenVersion: 1,
    };
  } else {
    const subscriber = await findSubscriberByEmail(db, request.email);
    if (!subscriber) throw new PreviewError(`No subscriber has the address ${request.email}.`);
    if (subscriber.status !== 'active')
      warnings.push(`status is ${subscriber.status}: nothing is sent to this address`);
    if ((await suppressedAmong(db, [subscriber.email])).size > 0) warnings.push('the address is suppressed');
    const delivery = await db
      .selectFrom('deliveries')
      .select('id')
      .where('edition_date', '=', request.date)
      .where('subscriber_id', '=', subscriber.id)
      .executeTakeFirst();
    recipient = {
      deliveryId: delivery ? String(delivery.id) : 'preview',
      subscriberId: subscriber.id,
      email: subscriber.email,
      preferences: subscriber.preferences,
      tokenVersion: subscriber.tokenVersion,
    };
  }
  recipient.preferences = {
    ...recipient.preferences,
    ...(request.template ? { template: request.template } : {}),
    ...(request.format ? { format: request.format } : {}),
  };
  const composed = (await deps.composer.compose(request.date, [recipient])).get(recipient.deliveryId);
  if (!composed) throw new PreviewError('The composer returned nothing for this recipient.');
  if (composed.kind === 'skip') return { papers: [], skipped: composed.reason, warnings };
  return { email: composed.email, papers: composed.papers, warnings };
}

/** The previewed email as a test: "[test]" subject, a `test` tag, no delivery tag, any address. */
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
  if (!ADDRESS.test(to)) throw new PreviewError(`Not an email address: "${to}".`);
  // A fresh key: every click sends, unlike digests whose keys make a retry a no-op.
  return transport.send(asTest(email, to.trim()), `paperboy-test/${randomUUID()}`);
}
