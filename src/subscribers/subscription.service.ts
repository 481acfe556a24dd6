import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Transport } from '../delivery/transport.js';
import { confirmLink, subscriberLinks } from '../links/links.js';
import type { Logger } from '../logger.js';
import { getPaper } from '../papers/papers.repository.js';
import {
  bumpTokenVersion,
  createSubscriber,
  findSubscriberByEmail,
  getSubscriber,
  recordFeedback,
  type Subscriber,
  setStatus,
  updatePreferences,
} from './subscribers.repository.js';
import { confirmationEmail, welcomeEmail } from './subscription-emails.js';
import { suppressedAmong } from './suppressions.repository.js';

/**
 * The subscriber's own use cases, behind the public pages: sign up (double opt-in), confirm,
 * unsubscribe, give feedback, sign out old links, export and delete. Queries go through
 * subscribers.repository.ts; email leaves only through the injected `Transport`.
 */

export interface SubscriptionDeps {
  db: Db;
  config: Config;
  transport: Transport;
  logger?: Pick<Logger, 'warn'>;
  now?: () => Date;
}

/** A confirmation email is re-sent at most this often per address. */
export const CONFIRMATION_RESEND_MINUTES = 10;

/** What happened, for logs and tests only: the page says the same thing in every case. */
export type SubscribeOutcome = 'created' | 'resent' | 'throttled' | 'already_active' | 'suppressed';

export async function subscribe(
  deps: SubscriptionDeps,
  input: { email: string; topics?: string[] },
): Promise<SubscribeOutcome> {
  const { db, config } = deps;
  const now = deps.now?.() ?? new Date();
  const email = input.email.trim();
  if ((await suppressedAmong(db, [email])).size > 0) return 'suppressed';
  let subscriber = await findSubscriberByEmail(db, email);
  if (subscriber?.status === 'active') return 'already_active';
  const created = !subscriber;
  if (!subscriber) {
    try {
      subscriber = await createSubscriber(db, {
        email,
        status: 'pending',
        preferences: input.topics?.length ? { topics: input.topics } : {},
        source: 'signup',
      });
    } catch (error) {
      // A concurrent sign-up for the same address won the insert; that one sends the email.
      if ((error as { code?: string }).code === '23505') return 'throttled';
      throw error;
    }
  }
  if (!(await claimConfirmation(db, subscriber.id, now))) return 'throttled';
  // An unsubscribed address is treated like a new one (pending again); new interests replace the old.
  if (!created && input.topics?.length) {
    await updatePreferences(db, subscriber.id, { ...subscriber.preferences, topics: input.topics });
  }
  const url = confirmLink(config, { id: subscriber.id, tokenVersion: subscriber.tokenVersion }, now);
  const sent = await deps.transport.send(
    await confirmationEmail(config, subscriber.email, url),
    `confirm-${subscriber.id}-${now.getTime()}`,
  );
  if (!sent.ok) {
    // Let the person ask again at once instead of waiting out the throttle for an email never sent.
    await db
      .updateTable('subscribers')
      .set({ confirmation_sent_at: null })
      .where('id', '=', subscriber.id)
      .execute();
    throw new Error(`confirmation email to subscriber ${subscriber.id} failed: ${sent.message}`);
  }
  return created ? 'created' : 'resent';
}

/**
 * Takes the confirmation slot in one statement (so two quick requests send one email): a
 * not-active subscriber whose last confirmation is older than the throttle, or who unsubscribed,
 * becomes pending with confirmation_sent_at = now.
 */
async function claimConfirmation(db: Db, id: string, now: Date): Promise<boolean> {
  const cutoff = new Date(now.getTime() - CONFIRMATION_RESEND_MINUTES * 60_000);
  const claimed = await db
    .updateTable('subscribers')
    .set({ status: 'pending', confirmation_sent_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '!=', 'active')
    .where((eb) =>
      eb.or([
        eb('confirmation_sent_at', 'is', null),
        eb('confirmation_sent_at', '<=', cutoff),
        eb('status', '=', 'unsubscribed'),
      ]),
    )
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/**
 * Activates a pending or unsubscribed subscriber (the confirm link, and the undo after an
 * unsubscribe). The welcome goes only with a first confirmation, not to someone coming back.
 */
export async function confirmSubscription(
  deps: SubscriptionDeps,
  subscriber: Subscriber,
): Promise<'activated' | 'resubscribed' | 'already_active'> {
  if (subscriber.status === 'active') return 'already_active';
  const updated = await setStatus(deps.db, subscriber.id, 'active');
  if (!updated) return 'already_active';
  if (subscriber.confirmedAt) return 'resubscribed';
  const links = subscriberLinks(deps.config, updated);
  // The key makes a double click one welcome at the provider.
  const sent = await deps.transport.send(
    await welcomeEmail(deps.config, updated.email, updated.preferences, links),
    `welcome-${updated.id}`,
  );
  // The subscription stands even when the welcome could not go out; it is a courtesy.
  if (!sent.ok)
    deps.logger?.warn({ subscriberId: updated.id, error: sent.message }, 'welcome email not sent');
  return 'activated';
}

/** Stops every further digest at once. */
export async function unsubscribe(db: Db, subscriber: Subscriber): Promise<void> {
  if (subscriber.status !== 'unsubscribed') await setStatus(db, subscriber.id, 'unsubscribed');
}

/** Revokes every link sent so far; returns the subscriber with the new version to sign fresh links with. */
export async function signOutOldLinks(db: Db, subscriber: Subscriber): Promise<Subscriber> {
  const tokenVersion = await bumpTokenVersion(db, subscriber.id);
  return { ...subscriber, tokenVersion: tokenVersion ?? subscriber.tokenVersion + 1 };
}

/** "More / less like this" on a paper that exists; the latest click wins. */
export async function giveFeedback(
  db: Db,
  subscriber: Subscriber,
  paperId: string,
  value: 'more' | 'less',
): Promise<boolean> {
  if (!(await getPaper(db, paperId))) return false;
  await recordFeedback(db, subscriber.id, paperId, value === 'more' ? 1 : -1);
  return true;
}

/** "Download my data": everything paperboy holds about the subscriber, as plain JSON. */
export async function exportSubscriberData(db: Db, subscriber: Subscriber): Promise<Record<string, unknown>> {
  const fresh = (await getSubscriber(db, subscriber.id)) ?? subscriber;
  const [feedback, deliveries] = await Promise.all([
    db
      .selectFrom('feedback')
      .select(['paper_id', 'value', 'created_at'])
      .where('subscriber_id', '=', subscriber.id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('deliveries')
      .select([
        'edition_date',
        'state',
        'reason',
        'template',
        'subject',
        'paper_ids',
        'sent_at',
        'delivered_at',
        'opened_at',
        'clicked_at',
        'bounced_at',
        'complained_at',
      ])
      .where('subscriber_id', '=', subscriber.id)
      .orderBy('edition_date')
      .execute(),
  ]);
  const { preferences, tokenVersion: _version, ...identity } = fresh;
  return {
    exportedAt: new Date().toISOString(),
    subscriber: identity,
    preferences,
    feedback: feedback.map((f) => ({
      paperId: f.paper_id,
      value: f.value === 1 ? 'more' : 'less',
      at: f.created_at,
    })),
    deliveries,
  };
}

/**
 * Deletes the subscriber and every row about them (deliveries and feedback cascade; webhook events
 * for the address go too). The suppression list is left as it is: an address that bounced or
 * complained stays there so it is never mailed again, and deleting never adds one.
 */
export async function deleteSubscriber(db: Db, subscriber: Subscriber): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('email_events')
      .where((eb) =>
        eb.or([
          eb(sql<string>`lower(email)`, '=', subscriber.email.toLowerCase()),
          eb(
            'delivery_id',
            'in',
            eb.selectFrom('deliveries').select('id').where('subscriber_id', '=', subscriber.id),
          ),
        ]),
      )
      .execute();
    await trx.deleteFrom('subscribers').where('id', '=', subscriber.id).execute();
  });
}
