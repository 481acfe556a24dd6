import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { SubscriberRow, SubscriberStatus } from '../db/schema.js';
import {
  type Preferences,
  type PreferencesInput,
  preferencesSchema,
  readPreferences,
} from './preferences.js';

/** A subscriber as the rest of the app sees it, preferences parsed (defaults filled in). */
export interface Subscriber {
  id: string;
  email: string;
  status: SubscriberStatus;
  preferences: Preferences;
  tokenVersion: number;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  confirmationSentAt: Date | null;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
}

export function subscriberFromRow(row: SubscriberRow): Subscriber {
  return {
    id: String(row.id),
    email: row.email,
    status: row.status,
    preferences: readPreferences(row.preferences),
    tokenVersion: row.token_version,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmationSentAt: row.confirmation_sent_at,
    confirmedAt: row.confirmed_at,
    unsubscribedAt: row.unsubscribed_at,
  };
}

export interface NewSubscriber {
  email: string;
  /** @defaultValue 'pending' (the public sign-up); the operator's CLI creates 'active' ones. */
  status?: SubscriberStatus;
  preferences?: PreferencesInput;
  /** Where the subscriber came from: 'operator', 'import', 'signup'. @defaultValue 'operator' */
  source?: string;
}

function statusTimestamps(status: SubscriberStatus) {
  return {
    confirmed_at: status === 'active' ? new Date() : null,
    unsubscribed_at: status === 'unsubscribed' ? new Date() : null,
  };
}

/** Inserts a subscriber; a second address differing only in case fails on the unique index. */
export async function createSubscriber(db: Db, input: NewSubscriber): Promise<Subscriber> {
  const status = input.status ?? 'pending';
  const row = await db
    .insertInto('subscribers')
    .values({
      email: input.email.trim(),
      status,
      preferences: JSON.stringify(preferencesSchema.parse(input.preferences ?? {})),
      source: input.source ?? 'operator',
      ...statusTimestamps(status),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return subscriberFromRow(row);
}

/**
 * Creates the subscriber, or — when the address exists in any case — replaces its preferences.
 * The status of an existing subscriber is left alone: a re-import never re-subscribes someone who
 * unsubscribed.
 */
export async function upsertSubscriberByEmail(
  db: Db,
  input: NewSubscriber,
): Promise<{ subscriber: Subscriber; created: boolean }> {
  const status = input.status ?? 'pending';
  const preferences = JSON.stringify(preferencesSchema.parse(input.preferences ?? {}));
  const row = await db
    .insertInto('subscribers')
    .values({
      email: input.email.trim(),
      status,
      preferences,
      source: input.source ?? 'operator',
      ...statusTimestamps(status),
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doUpdateSet({ preferences, updated_at: sql`now()` }))
    .returningAll()
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirstOrThrow();
  return { subscriber: subscriberFromRow(row), created: row.inserted };
}

export async function findSubscriberByEmail(db: Db, email: string): Promise<Subscriber | undefined> {
  const row = await db
    .selectFrom('subscribers')
    .selectAll()
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return row && subscriberFromRow(row);
}

export async function getSubscriber(db: Db, id: string): Promise<Subscriber | undefined> {
  if (!/^\d+$/.test(String(id))) return undefined;
  const row = await db.selectFrom('subscribers').selectAll().where('id', '=', String(id)).executeTakeFirst();
  return row && subscriberFromRow(row);
}

export interface ListSubscribersOptions {
  /** Keyset pagination: subscribers with an id greater than this. */
  after?: string;
  /** @defaultValue 100 */
  limit?: number;
  status?: SubscriberStatus;
}

/** Subscribers in id order, a page at a time (pass the last id as `after` for the next page). */
export async function listSubscribers(db: Db, options: ListSubscribersOptions = {}): Promise<Subscriber[]> {
  let query = db
    .selectFrom('subscribers')
    .selectAll()
    .orderBy('id')
    .limit(options.limit ?? 100);
  if (options.after !== undefined) query = query.where('id', '>', String(options.after));
  if (options.status) query = query.where('status', '=', options.status);
  const rows = await query.execute();
  return rows.map(subscriberFromRow);
}

export async function updatePreferences(
  db: Db,
  id: string,
  preferences: PreferencesInput,
): Promise<Subscriber | undefined> {
  const row = await db
    .updateTable('subscribers')
    .set({ preferences: JSON.stringify(preferencesSchema.parse(preferences)), updated_at: sql`now()` })
    .where('id', '=', String(id))
    .returningAll()
    .executeTakeFirst();
  return row && subscriberFromRow(row);
}

/** Moves a subscriber to `status`, stamping confirmed_at / unsubscribed_at the first time. */
export async function setStatus(
  db: Db,
  id: string,
  status: SubscriberStatus,
): Promise<Subscriber | undefined> {
  const row = await db
    .updateTable('subscribers')
    .set({
      status,
      updated_at: sql`now()`,
      confirmed_at: status === 'active' ? sql`coalesce(confirmed_at, now())` : sql`confirmed_at`,
      unsubscribed_at: status === 'unsubscribed' ? sql`now()` : null,
    })
    .where('id', '=', String(id))
    .returningAll()
    .executeTakeFirst();
  return row && subscriberFromRow(row);
}

/** Revokes every link signed so far for this subscriber; returns the new version. */
export async function bumpTokenVersion(db: Db, id: string): Promise<number | undefined> {
  const row = await db
    .updateTable('subscribers')
    .set({ token_version: sql`token_version + 1`, updated_at: sql`now()` })
    .where('id', '=', String(id))
    .returning('token_version')
    .executeTakeFirst();
  return row?.token_version;
}

/** A 👍 (1) or 👎 (-1) on a paper; voting again replaces the earlier vote. */
export async function recordFeedback(
  db: Db,
  subscriberId: string,
  paperId: string,
  value: 1 | -1,
): Promise<void> {
  await db
    .insertInto('feedback')
    .values({ subscriber_id: String(subscriberId), paper_id: paperId, value })
    .onConflict((oc) =>
      oc.columns(['subscriber_id', 'paper_id']).doUpdateSet({ value, created_at: sql`now()` }),
    )
    .execute();
}
