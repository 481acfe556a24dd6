import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { findSubscriberByEmail, setStatus } from '../subscribers/subscribers.repository.js';
import { type SuppressionReason, suppress } from '../subscribers/suppressions.repository.js';
import type { EventBatcher } from './email-events.batch.js';
import {
  countSoftBounces,
  type DeliveryEffect,
  lockAddress,
  storeEmailEvent,
  TRANSIENT_BOUNCE,
} from './email-events.repository.js';
import { isRecord, type ResendEvent } from './resend-webhook.js';

/**
 * What a Resend event does, listmonk-style (a count and an action per kind of bounce):
 * a hard bounce suppresses at once, a complaint unsubscribes and suppresses at once, delays and
 * transient bounces suppress after `softBounceLimit` within `softBounceWindowDays` (reset by a
 * delivery), Resend's own suppression is mirrored, and the rest is recorded on the delivery.
 */
export interface EmailEventPolicy {
  /** @defaultValue 'suppress' (BOUNCE_ACTION) */
  hardBounce: 'suppress' | 'unsubscribe';
  /** @defaultValue 3 (SOFT_BOUNCE_LIMIT) */
  softBounceLimit: number;
  /** @defaultValue 30 (SOFT_BOUNCE_WINDOW_DAYS) */
  softBounceWindowDays: number;
}

export function emailEventPolicy(config: Config): EmailEventPolicy {
  return {
    hardBounce: config.bounceAction,
    softBounceLimit: config.softBounce.limit,
    softBounceWindowDays: config.softBounce.windowDays,
  };
}

export type EventKind =
  | 'sent'
  | 'delivered'
  | 'opened'
  | 'clicked'
  | 'hard_bounce'
  | 'soft_bounce'
  | 'delayed'
  | 'complaint'
  | 'suppressed'
  | 'failed'
  | 'ignored';

export interface EventOutcome {
  duplicate: boolean;
  kind: EventKind;
  deliveryId: string | null;
  /** What changed besides the event row and its delivery: 'suppressed', 'unsubscribed'. */
  effects: string[];
}

const transient = new RegExp(TRANSIENT_BOUNCE, 'i');

export function classifyEvent(event: ResendEvent): EventKind {
  switch (event.type) {
    case 'email.sent':
      return 'sent';
    case 'email.delivered':
      return 'delivered';
    case 'email.opened':
      return 'opened';
    case 'email.clicked':
      return 'clicked';
    case 'email.bounced': {
      // Resend sends email.bounced for permanent rejections; a bounce that says otherwise counts as soft.
      const type = text(event.data, 'bounce', 'type');
      return type && transient.test(type) ? 'soft_bounce' : 'hard_bounce';
    }
    case 'email.delivery_delayed':
      return 'delayed';
    case 'email.complained':
      return 'complaint';
    case 'email.suppressed':
      return 'suppressed';
    case 'email.failed':
      return 'failed';
    default:
      return 'ignored';
  }
}

// Tracking events (nine in ten) commit without waiting for the disk flush: a database crash could
// lose the last fraction of a second of opens, never a bounce, complaint or failure.
const EFFECTS: Record<EventKind, DeliveryEffect> = {
  sent: { track: true, stamp: 'sent_at', relaxed: true },
  delivered: { track: true, stamp: 'delivered_at', relaxed: true },
  opened: { track: true, stamp: 'opened_at', relaxed: true },
  clicked: { track: true, stamp: 'clicked_at', relaxed: true },
  hard_bounce: { track: true, stamp: 'bounced_at' },
  soft_bounce: { track: true },
  delayed: { track: true },
  complaint: { track: true, stamp: 'complained_at' },
  suppressed: { track: true },
  failed: { track: true },
  ignored: { track: false, relaxed: true },
};

/**
 * Stores a verified event once (by svix-id) and applies the policy in the same short transaction,
 * so a crash leaves either both or neither and Resend's retry finishes the job.
 */
export async function recordEmailEvent(
  db: Db,
  policy: EmailEventPolicy,
  logger: Logger,
  input: { svixId: string; event: ResendEvent; rawBody: string },
  /** Groups tracking events arriving together into one statement (the web server passes one). */
  batcher?: EventBatcher,
): Promise<EventOutcome> {
  const { event, svixId } = input;
  const kind = classifyEvent(event);
  const email = recipient(event.data);
  const effect =
    kind === 'failed'
      ? { ...EFFECTS.failed, reason: clip(text(event.data, 'failed', 'reason') ?? 'failed') }
      : EFFECTS[kind];
  const stored = {
    svixId,
    type: event.type,
    resendEmailId: text(event.data, 'email_id') ?? null,
    email,
    payload: input.rawBody,
    occurredAt: timestamp(event.created_at),
  };
  const needsPolicy = ['hard_bounce', 'soft_bounce', 'delayed', 'complaint', 'suppressed'].includes(kind);
  const run = async (tx: Db): Promise<EventOutcome> => {
    const { eventId, deliveryId } =
      batcher && effect.relaxed
        ? await batcher.store(stored, effect)
        : await storeEmailEvent(tx, stored, effect);
    const outcome: EventOutcome = { duplicate: eventId === null, kind, deliveryId, effects: [] };
    if (outcome.duplicate || !needsPolicy) return outcome;
    if (!email) {
      logger.warn(
        { svixId, type: event.type },
        'webhook event names no recipient address: policy not applied',
      );
      return outcome;
    }
    await applyPolicy(tx, policy, kind, email, event, outcome);
    if (outcome.effects.length)
      logger.info({ svixId, kind, email, effects: outcome.effects }, 'email event applied');
    return outcome;
  };
  const outcome = needsPolicy ? await db.transaction().execute((tx) => run(tx)) : await run(db);
  if (kind === 'failed' && !outcome.duplicate) {
    logger.error(
      {
        svixId,
        resendEmailId: stored.resendEmailId,
        email,
        deliveryId: outcome.deliveryId,
        reason: effect.reason,
      },
      'Resend failed to send an email',
    );
  }
  return outcome;
}

async function applyPolicy(
  tx: Db,
  policy: EmailEventPolicy,
  kind: EventKind,
  email: string,
  event: ResendEvent,
  outcome: EventOutcome,
): Promise<void> {
  const add = async (reason: SuppressionReason, detail: string) => {
    await suppress(tx, email, reason, clip(detail));
    outcome.effects.push('suppressed');
  };
  if (kind === 'hard_bounce') {
    const bounce = [text(event.data, 'bounce', 'type'), text(event.data, 'bounce', 'subType')].filter(
      Boolean,
    );
    const message = text(event.data, 'bounce', 'message') ?? 'permanent bounce';
    await add('hard_bounce', bounce.length ? `${bounce.join('/')}: ${message}` : message);
    if (policy.hardBounce === 'unsubscribe' && (await unsubscribeAddress(tx, email))) {
      outcome.effects.push('unsubscribed');
    }
  } else if (kind === 'complaint') {
    if (await unsubscribeAddress(tx, email)) outcome.effects.push('unsubscribed');
    await add('complaint', 'marked as spam by the recipient');
  } else if (kind === 'suppressed') {
    const type = text(event.data, 'suppressed', 'type');
    const message = text(event.data, 'suppressed', 'message') ?? 'suppressed by Resend';
    await add('provider', type ? `${type}: ${message}` : message);
  } else if (kind === 'soft_bounce' || kind === 'delayed') {
    await lockAddress(tx, email);
    const count = await countSoftBounces(tx, email, policy.softBounceWindowDays);
    if (count >= policy.softBounceLimit) {
      await add(
        'soft_bounce_limit',
        `${count} delivery delays or transient bounces within ${policy.softBounceWindowDays} days`,
      );
    }
  }
}

/** Ends the subscription of whoever has this address. Returns false when nobody had an active one. */
async function unsubscribeAddress(tx: Db, email: string): Promise<boolean> {
  const subscriber = await findSubscriberByEmail(tx, email);
  if (!subscriber || subscriber.status === 'unsubscribed') return false;
  await setStatus(tx, subscriber.id, 'unsubscribed');
  return true;
}

function text(data: unknown, ...path: string[]): string | undefined {
  let value: unknown = data;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Resend puts the recipients in `data.to` (an array); paperboy sends every digest to one address. */
function recipient(data: unknown): string | null {
  const to = isRecord(data) ? data.to : undefined;
  const first = Array.isArray(to) ? to[0] : to;
  if (typeof first !== 'string') return null;
  const address = /<([^>]+)>/.exec(first)?.[1] ?? first;
  return address.includes('@') ? address.trim().toLowerCase() : null;
}

function timestamp(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function clip(value: string): string {
  return value.length > 500 ? `${value.slice(0, 497)}...` : value;
}
