import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../context.js';
import { jobIds, QUEUE_NAMES } from '../queues.js';
import { suppressedAmong } from '../subscribers/suppressions.repository.js';
import type { Composer } from './compose-digest.js';
import { type EditionSummary, editionStatus, editionSummary } from './deliveries.repository.js';
import { enqueuePlanDay, recoverUnfinished } from './delivery-queues.js';
import { dueSubscribers } from './plan-edition.js';
import type { QueueBackend } from './queue-backend.js';
import { isDueForEdition } from './schedule.js';

/**
 * The operator's manual run: plan edition D for everyone due that day and send it through the
 * queue, waiting until every delivery has ended. Repeating it plans no second row and sends no
 * second email (unique rows, deterministic job ids, idempotency keys).
 */

export interface RunEditionResult {
  summary: EditionSummary;
  /** Emails sent by this run (0 when an earlier run had done everything). */
  sentNow: number;
  startedWorkers: boolean;
  paused: boolean;
}

export interface RunEditionOptions {
  date: string;
  /** Starts workers when none is running; returns how to stop them. */
  startWorkers(): Promise<{ stop(): Promise<void> }>;
  onProgress?(summary: EditionSummary): void;
  /** @defaultValue 500 */
  pollMs?: number;
}

export async function runEdition(
  ctx: Pick<AppContext, 'db'>,
  backend: QueueBackend,
  options: RunEditionOptions,
): Promise<RunEditionResult> {
  const { db } = ctx;
  const { date } = options;
  const pollMs = options.pollMs ?? 500;
  const before = await editionSummary(db, date);
  const running = (await backend.queue(QUEUE_NAMES.sends).getWorkers()).length > 0;
  const started = running ? undefined : await options.startWorkers();
  try {
    const editions = backend.queue(QUEUE_NAMES.editions);
    // A finished plan job of an earlier run would swallow this trigger: clear it so new
    // subscribers are planned too. Planning itself never adds a second row.
    const previous = await editions.getJob(jobIds.planDay(date));
    const previousState = previous ? await previous.getState() : undefined;
    if (previousState === 'completed' || previousState === 'failed') await previous!.remove();
    await enqueuePlanDay(backend, date);
    for (;;) {
      const job = await editions.getJob(jobIds.planDay(date));
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed' || state === 'unknown') break;
      if (state === 'failed') throw new Error(`Planning edition ${date} failed: ${job?.failedReason}`);
      await sleep(pollMs);
    }
    await recoverUnfinished(db, backend, { editionDate: date });
    for (;;) {
      const summary = await editionSummary(db, date);
      options.onProgress?.(summary);
      const done = summary.counts.planned + summary.counts.sending === 0;
      if (done || (await editionStatus(db, date)) === 'paused') {
        return {
          summary,
          sentNow: summary.counts.sent - before.counts.sent,
          startedWorkers: !!started,
          paused: !done,
        };
      }
      await sleep(pollMs);
    }
  } finally {
    await started?.stop();
  }
}

export interface DryRunLine {
  email: string;
  template: string;
  frequency: string;
  /** The subject they would get, or why they would get nothing. */
  outcome: string;
}

/** Who would get what for edition D: ranks and renders, plans and sends nothing. */
export async function* dryRunEdition(
  ctx: Pick<AppContext, 'db'>,
  composer: Composer,
  date: string,
): AsyncGenerator<DryRunLine> {
  for await (const { due } of dueSubscribers(
    ctx.db,
    (p) => (isDueForEdition(p, date) ? date : undefined),
    100,
  )) {
    const suppressed = await suppressedAmong(
      ctx.db,
      due.map((s) => s.email),
    );
    const composed = await composer.compose(
      date,
      due.map((s) => ({
        deliveryId: s.id,
        subscriberId: s.id,
        email: s.email,
        preferences: s.preferences,
        tokenVersion: 1,
      })),
    );
    for (const s of due) {
      const c = composed.get(s.id);
      yield {
        email: s.email,
        template: s.preferences.template,
        frequency: s.preferences.frequency,
        outcome: suppressed.has(s.email.toLowerCase())
          ? 'skipped (suppressed)'
          : !c
            ? 'nothing composed'
            : c.kind === 'skip'
              ? `skipped (${c.reason})`
              : c.subject,
      };
    }
  }
}
