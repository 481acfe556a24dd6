import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { findSubscriberByEmail, setStatus } from '../subscribers/subscribers.repository.js';
import { type SuppressionReason, suppress } from '../subscribers/suppressions.repository.js';
import { createMicroBatcher } from './email-events.batch.js';
import {
  countSoftBounces,
  type DeliveryEffect,
  lockAddresses,
  type StoredEvent,
  storeEmailEvents,
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

/** What the policy acts on; the other kinds are only recorded. */
const POLICY_KINDS: ReadonlySet<EventKind> = new Set([
  'hard_bounce',
  'soft_bounce',
  'delayed',
  'complaint',
  'suppressed',
]);

export interface VerifiedEvent {
  svixId: string;
  event: ResendEvent;
  /** The body exactly as signed (valid JSON; stored as jsonb). */
  rawBody: string;
}

interface PreparedEvent {
  kind: EventKind;
  effect: DeliveryEffect;
  stored: StoredEvent;
  event: ResendEvent;
}

export type EventRecorder = (input: VerifiedEvent) => Promise<EventOutcome>;

/**
 * Records verified events: each is stored once (by svix-id) and the policy applied to it. Events
 * arriving together are written together — one statement for all of them, and when any needs the
 * policy, one transaction that also applies it — so a crash leaves either both or neither and
 * Resend's retry finishes the job, and the disk is flushed once per batch rather than per bounce.
 * A batch of tracking events alone commits without waiting for the flush (see `relaxed`).
 */
export function createEventRecorder(db: Db, policy: EmailEventPolicy, logger: Logger): EventRecorder {
  const record = createMicroBatcher((batch: PreparedEvent[]) => recordBatch(db, policy, batch));
  return async (input) => {
    const prepared = prepare(input);
    const outcome = await record(prepared);
    report(logger, prepared, outcome);
    return outcome;
  };
}

function prepare({ svixId, event, rawBody }: VerifiedEvent): PreparedEvent {
  const kind = classifyEvent(event);
  const effect =
    kind === 'failed'
      ? { ...EFFECTS.failed, reason: clip(text(event.data, 'failed', 'reason') ?? 'failed') }
      : EFFECTS[kind];
  const stored = {
    svixId,
    type: event.type,
    resendEmailId: text(event.data, 'email_id') ?? null,
    email: recipient(event.data),
    payload: rawBody,
    occurredAt: timestamp(event.created_at),
  };
  return { kind, effect, stored, event };
}

async function recordBatch(
  db: Db,
  policy: EmailEventPolicy,
  batch: PreparedEvent[],
): Promise<EventOutcome[]> {
  const run = async (tx: Db) => {
    const stored = await storeEmailEvents(
      tx,
      batch.map((p) => ({ event: p.stored, effect: p.effect })),
    );
    const outcomes: EventOutcome[] = batch.map((p, i) => ({
      duplicate: stored[i]!.eventId === null,
      kind: p.kind,
      deliveryId: stored[i]!.deliveryId,
      effects: [],
    }));
    const due = batch.flatMap((p, i) =>
      !outcomes[i]!.duplicate && POLICY_KINDS.has(p.kind) && p.stored.email ? [i] : [],
    );
    await lockAddresses(
      tx,
      due.filter((i) => isSoft(batch[i]!.kind)).map((i) => batch[i]!.stored.email!),
    );
    for (const i of due) {
      const p = batch[i]!;
      await applyPolicy(tx, policy, p.kind, p.stored.email!, p.event, outcomes[i]!);
    }
    return outcomes;
  };
  return batch.some((p) => POLICY_KINDS.has(p.kind)) ? db.transaction().execute(run) : run(db);
}

/** The logs an event earns once it is recorded. */
function report(logger: Logger, p: PreparedEvent, outcome: EventOutcome): void {
  if (outcome.duplicate) return;
  const { svixId, email, resendEmailId } = p.stored;
  if (POLICY_KINDS.has(p.kind) && !email) {
    logger.warn(
      { svixId, type: p.event.type },
      'webhook event names no recipient address: policy not applied',
    );
  }
  if (outcome.effects.length) {
    logger.info({ svixId, kind: p.kind, email, effects: outcome.effects }, 'email event applied');
  }
  if (p.kind === 'failed') {
    logger.error(
      { svixId, resendEmailId, email, deliveryId: outcome.deliveryId, reason: p.effect.reason },
      'Resend failed to send an email',
    );
  }
}

function isSoft(kind: EventKind): boolean {
  return kind === 'soft_bounce' || kind === 'delayed';
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
  } else if (isSoft(kind)) {
    // The batch holds this address's lock (lockAddresses), so this count sees every other
    // transaction's delays for it that committed first.
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
