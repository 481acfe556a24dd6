import type { JobsOptions } from 'bullmq';
import type { Db } from '../db/database.js';
import { jobIds, QUEUE_NAMES } from '../queues.js';
import { assignBatches, editionsWithUnbatched, unfinishedBatches } from './deliveries.repository.js';
import type { SendBatchRef } from './plan-edition.js';
import type { QueueBackend } from './queue-backend.js';

/**
 * Putting delivery work on the queues, always under deterministic job ids so that a second
 * scheduler, a manual trigger or a recovery sweep collapses into the job already there.
 */

/** Kept a week so a late duplicate trigger still finds the id and adds nothing. */
const planJob: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** 1 s, 2 s, 4 s … about four minutes in all before the rows are marked failed. */
export const SEND_ATTEMPTS = 9;
const sendJob: JobsOptions = {
  attempts: SEND_ATTEMPTS,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 2 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export async function enqueuePlanHour(backend: QueueBackend, hour: string): Promise<string> {
  const id = jobIds.planHour(hour);
  await backend.queue(QUEUE_NAMES.editions).add('plan-hour', { hour }, { ...planJob, jobId: id });
  return id;
}

export async function enqueuePlanDay(backend: QueueBackend, date: string): Promise<string> {
  const id = jobIds.planDay(date);
  await backend.queue(QUEUE_NAMES.editions).add('plan-day', { date }, { ...planJob, jobId: id });
  return id;
}

export async function enqueueSends(backend: QueueBackend, batches: SendBatchRef[]): Promise<void> {
  if (batches.length === 0) return;
  await backend.queue(QUEUE_NAMES.sends).addBulk(
    batches.map((b) => ({
      name: 'send-batch',
      data: { batchKey: b.batchKey, editionDate: b.editionDate },
      opts: { ...sendJob, jobId: jobIds.sendBatch(b.batchKey) },
    })),
  );
}

/**
 * Invariant 2: rows a crash left in planned/sending get a live job again. Unbatched rows get
 * batches; a batch whose job is gone, failed or completed (without finishing its rows) is queued
 * again under the same id. Live jobs (waiting, delayed, active) are left alone: BullMQ's stalled
 * check already hands an active job of a dead worker to another one.
 */
export async function recoverUnfinished(
  db: Db,
  backend: QueueBackend,
  options: { editionDate?: string } = {},
): Promise<{ batched: number; requeued: number }> {
  let batched = 0;
  for (const date of await editionsWithUnbatched(db)) {
    if (options.editionDate && date !== options.editionDate) continue;
    const keys = await assignBatches(db, date);
    await enqueueSends(
      backend,
      keys.map((batchKey) => ({ batchKey, editionDate: date })),
    );
    batched += keys.length;
  }
  let requeued = 0;
  const queue = backend.queue(QUEUE_NAMES.sends);
  for (const ref of await unfinishedBatches(db)) {
    if (options.editionDate && ref.editionDate !== options.editionDate) continue;
    const job = await queue.getJob(jobIds.sendBatch(ref.batchKey));
    const state = job ? await job.getState() : 'unknown';
    if (state === 'failed') {
      await job!.retry();
      requeued++;
    } else if (state === 'completed' || state === 'unknown') {
      if (job && state === 'completed') await job.remove();
      await enqueueSends(backend, [ref]);
      requeued++;
    }
  }
  return { batched, requeued };
}
