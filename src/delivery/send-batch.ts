import type { Db } from '../db/database.js';
import { countSendOutcome, emailsFailed } from '../metrics.js';
import { readPreferences } from '../subscribers/preferences.js';
import { suppressedAmong } from '../subscribers/suppressions.repository.js';
import type { Composer, Recipient } from './compose-digest.js';
import {
  type BatchMember,
  claimBatch,
  editionStatus,
  loadBatch,
  markEnded,
  markSent,
  type SentRow,
} from './deliveries.repository.js';
import { recordDeparture, type SendTurn, waitForSendTurn } from './send-pacer.js';
import type { Transport } from './transport.js';

/**
 * Sends one fixed batch: claim its rows, re-check each recipient at send time (suppression,
 * status), compose each digest, and make ONE Resend batch call under the batch's idempotency key.
 *
 * Exactly once: the key is fixed per batch. A retry after a crash or a timeout sends the same
 * emails under the same key, which Resend answers with the first ids and no second email. If a
 * retry's body differs (someone unsubscribed meanwhile, so they are left out), Resend answers 409
 * when the first call had been accepted: those emails went out then, and are recorded as sent.
 */

export interface SendDeps {
  db: Db;
  transport: Transport;
  composer: Composer;
  /** Provider calls per second across all workers (0: unpaced). @defaultValue 0 */
  ratePerSecond?: number;
}

export interface SendBatchResult {
  batchKey: string;
  sent: number;
  skipped: number;
  failed: number;
  /** The edition is paused: nothing was touched, the rows wait as planned. */
  paused?: boolean;
}

export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  readonly code = 'RATE_LIMITED' as const;
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** Retry with backoff: 5xx, network errors, timeouts. */
export class TransientSendError extends Error {
  override readonly name = 'TransientSendError';
  readonly code = 'SEND_TRANSIENT' as const;
}

/** Do not retry: the provider refused the batch (validation). The rows are already marked failed. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  readonly code = 'SEND_REJECTED' as const;
}

export function idempotencyKey(batchKey: string): string {
  return `paperboy-digest/${batchKey}`;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export async function sendBatch(
  deps: SendDeps,
  batchKey: string,
  options: { editionDate: string; finalAttempt?: boolean },
): Promise<SendBatchResult> {
  const { db } = deps;
  const result: SendBatchResult = { batchKey, sent: 0, skipped: 0, failed: 0 };
  const status = await editionStatus(db, options.editionDate);
  if (status === 'paused') return { ...result, paused: true };

  const members = (await loadBatch(db, batchKey)).filter(
    (m) => m.state === 'planned' || m.state === 'sending',
  );
  if (members.length === 0) return result;
  const claimed = await claimBatch(db, batchKey);
  const pending = members.filter((m) => claimed.has(m.id));

  // Invariant 3: checked now, not at planning time.
  const suppressed = await suppressedAmong(
    db,
    pending.map((m) => m.email),
  );
  const ended: { id: string; state: 'skipped' | 'failed'; reason: string }[] = [];
  const eligible: BatchMember[] = [];
  for (const m of pending) {
    const reason = ineligible(m, suppressed);
    if (reason) ended.push({ id: m.id, state: 'skipped', reason });
    else eligible.push(m);
  }

  const recipients: Recipient[] = eligible.map((m) => ({
    deliveryId: m.id,
    subscriberId: m.subscriberId,
    email: m.email,
    preferences: readPreferences(m.preferences),
    tokenVersion: m.tokenVersion,
  }));
  // Each digest goes into the batch as soon as it is rendered; only its row is kept here.
  const batch = deps.transport.batch(idempotencyKey(batchKey));
  const outgoing: Omit<SentRow, 'resendId'>[] = [];
  const composed = new Set<string>();
  await deps.composer.composeEach(options.editionDate, recipients, (r, c) => {
    composed.add(r.deliveryId);
    if (c.kind === 'skip') {
      ended.push({ id: r.deliveryId, state: 'skipped', reason: c.reason });
      return;
    }
    batch.add(c.email);
    outgoing.push({ id: r.deliveryId, subject: c.subject, paperIds: c.paperIds, template: c.template });
  });
  for (const r of recipients) {
    if (composed.has(r.deliveryId)) continue;
    ended.push({ id: r.deliveryId, state: 'failed', reason: 'no digest composed' });
    emailsFailed.inc({ reason: 'not_composed' }); // metrics (src/metrics.ts)
  }
  await markEnded(db, ended);
  for (const e of ended) result[e.state]++;
  if (outgoing.length === 0) return result;

  let turn: SendTurn | undefined;
  let departure: Promise<void> | undefined;
  const outcome = await batch.send({
    // Once the batch is encoded, so the call leaves at its time.
    beforeCall: async () => {
      turn = await waitForSendTurn(db, deps.ratePerSecond ?? 0);
    },
    departed: (at) => {
      // Best effort: had it failed, the next calls are paced from the turn, as without this step;
      // a database that fails here fails the statements that follow too.
      if (turn) departure = recordDeparture(db, turn, at).catch(() => undefined);
    },
  });
  await departure;
  countSendOutcome(deps.transport.name, outcome, outgoing.length); // metrics (src/metrics.ts)
  if (outcome.ok) {
    await markSent(
      db,
      outgoing.map((row, i) => ({ ...row, resendId: outcome.ids[i] ?? null })),
    );
    result.sent += outgoing.length;
    return result;
  }
  switch (outcome.kind) {
    case 'idempotency_conflict':
      await markSent(
        db,
        outgoing.map((row) => ({ ...row, resendId: null })),
        'accepted by an earlier attempt under the same idempotency key; its Resend id is unknown',
      );
      result.sent += outgoing.length;
      return result;
    case 'rate_limited':
      throw new RateLimitedError(outcome.message, (outcome.retryAfterSeconds ?? 1) * 1000);
    case 'transient':
      if (!options.finalAttempt) throw new TransientSendError(outcome.message);
      await markEnded(
        db,
        outgoing.map((o) => ({
          id: o.id,
          state: 'failed' as const,
          reason: `gave up after retries: ${outcome.message}`,
        })),
      );
      result.failed += outgoing.length;
      return result;
    case 'permanent':
      await markEnded(
        db,
        outgoing.map((o) => ({ id: o.id, state: 'failed' as const, reason: `rejected: ${outcome.message}` })),
      );
      throw new PermanentSendError(`Batch ${batchKey} rejected: ${outcome.message}`);
  }
}

function ineligible(m: BatchMember, suppressed: Set<string>): string | undefined {
  if (m.status === 'unsubscribed') return 'unsubscribed';
  if (m.status === 'pending') return 'unconfirmed';
  if (suppressed.has(m.email.toLowerCase())) return 'suppressed';
  if (!ADDRESS.test(m.email.trim())) return `invalid address: ${m.email}`;
  return undefined;
}
