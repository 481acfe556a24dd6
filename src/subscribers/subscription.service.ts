import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { SubscriberRow } from '../db/schema.js';
import type { Transport } from '../delivery/transport.js';
import { confirmLink, subscriberLinks } from '../links/links.js';
import type { Logger } from '../logger.js';
import { type Preferences, readPreferences } from './preferences.js';
import { confirmationEmail, welcomeEmail } from './subscription-emails.js';
import { suppressedAmong } from './suppressions.repository.js';

/**
 * The subscriber's own use cases, behind the public pages: sign up (double opt-in), confirm,
 * unsubscribe, change preferences, sign out old links, export and delete. Email leaves only through
 * the injected `Transport`.
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
  const existing = await db
    .selectFrom('subscribers')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (existing?.status === 'active') return 'already_active';

  let subscriber: SubscriberRow | undefined;
  let outcome: SubscribeOutcome;
  if (!existing) {
    const preferences = input.topics?.length ? { topics: input.topics } : {};
    subscriber = await db
      .insertInto('subscribers')
      .values({
        email,
        status: 'pending',
        preferences: JSON.stringify(preferences),
        source: 'signup',
        confirmation_sent_at: now,
      })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returningAll()
      .executeTakeFirst();
    // Lost a race with a concurrent sign-up for the same address: that one sends the email.
    if (!subscriber) return 'throttled';
    outcome = 'created';
  } else {
    // Atomic claim of the re-send slot, so two quick requests send one email. An unsubscribed
    // address is treated like a new one: pending again, confirmation sent.
    const cutoff = new Date(now.getTime() - CONFIRMATION_RESEND_MINUTES * 60_000);
    const preferences = input.topics?.length
      ? { ...(existing.preferences as Record<string, unknown>), topics: input.topics }
      : existing.preferences;
    subscriber = await db
      .updateTable('subscribers')
      .set({
        status: 'pending',
        confirmation_sent_at: now,
        updated_at: now,
        preferences: JSON.stringify(preferences),
      })
      .where('id', '=', existing.id)
      .where('status', '!=', 'active')
      .where((eb) =>
        eb.or([
          eb('confirmation_sent_at', 'is', null),
          eb('confirmation_sent_at', '<=', cutoff),
          eb('status', '=', 'unsubscribed'),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    if (!subscriber) return 'throttled';
    outcome = 'resent';
  }
  const url = confirmLink(config, { id: subscriber.id, tokenVersion: subscriber.token_version }, now);
  const sent = await deps.transport.send(
    confirmationEmail(config, subscriber.email, url),
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
  return outcome;
}

/**
 * Activates a pending or unsubscribed subscriber (the confirm link, and the undo after an
 * unsubscribe). The welcome goes only to a first confirmation, not to someone coming back.
 */
export async function confirmSubscription(
  deps: SubscriptionDeps,
  subscriber: SubscriberRow,
): Promise<'activated' | 'resubscribed' | 'already_active'> {
  const now = deps.now?.() ?? new Date();
  const updated = await deps.db
    .updateTable('subscribers')
    .set({ status: 'active', confirmed_at: now, unsubscribed_at: null, updated_at: now })
    .where('id', '=', subscriber.id)
    .where('status', '!=', 'active')
    .returning(['id', 'email', 'token_version'])
    .executeTakeFirst();
  if (!updated) return 'already_active';
  if (subscriber.confirmed_at) return 'resubscribed';
  const links = subscriberLinks(deps.config, { id: updated.id, tokenVersion: updated.token_version });
  const sent = await deps.transport.send(
    welcomeEmail(deps.config, updated.email, links),
    `welcome-${updated.id}`,
  );
  // The subscription stands even when the welcome could not go out; it is a courtesy.
  if (!sent.ok) deps.logger?.warn({ subscriberId: updated.id, error: sent.message }, 'welcome email not sent');
  return 'activated';
}

/** Stops every further digest at once. Idempotent. */
export async function unsubscribe(db: Db, subscriberId: string, now: Date = new Date()): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ status: 'unsubscribed', unsubscribed_at: now, updated_at: now })
    .where('id', '=', subscriberId)
    .where('status', '!=', 'unsubscribed')
    .execute();
}

export async function savePreferences(db: Db, subscriberId: string, preferences: Preferences): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ preferences: JSON.stringify(preferences), updated_at: new Date() })
    .where('id', '=', subscriberId)
    .execute();
}

/** Revokes every link sent so far; returns the new version to sign fresh links with. */
export async function signOutOldLinks(db: Db, subscriberId: string): Promise<number> {
  const row = await db
    .updateTable('subscribers')
    .set((eb) => ({ token_version: eb('token_version', '+', 1), updated_at: new Date() }))
    .where('id', '=', subscriberId)
    .returning('token_version')
    .executeTakeFirstOrThrow();
  return row.token_version;
}

/** "Download my data": everything paperboy holds about the subscriber, as plain JSON. */
export async function exportSubscriberData(
  db: Db,
  subscriber: SubscriberRow,
): Promise<Record<string, unknown>> {
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
  return {
    exportedAt: new Date().toISOString(),
    subscriber: {
      id: subscriber.id,
      email: subscriber.email,
      status: subscriber.status,
      source: subscriber.source,
      createdAt: subscriber.created_at,
      confirmationSentAt: subscriber.confirmation_sent_at,
      confirmedAt: subscriber.confirmed_at,
      unsubscribedAt: subscriber.unsubscribed_at,
    },
    preferences: readPreferences(subscriber.preferences),
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
export async function deleteSubscriber(db: Db, subscriber: SubscriberRow): Promise<void> {
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

/** "More / less like this": one row per subscriber and paper, the latest click wins. */
export async function recordFeedback(
  db: Db,
  subscriberId: string,
  paperId: string,
  value: 1 | -1,
): Promise<boolean> {
  const paper = await db.selectFrom('papers').select('id').where('id', '=', paperId).executeTakeFirst();
  if (!paper) return false;
  await db
    .insertInto('feedback')
    .values({ subscriber_id: subscriberId, paper_id: paperId, value })
    .onConflict((oc) =>
      oc.columns(['subscriber_id', 'paper_id']).doUpdateSet({ value, created_at: new Date() }),
    )
    .execute();
  return true;
}
