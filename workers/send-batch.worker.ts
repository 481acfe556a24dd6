import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { QueueBackend } from '../src/delivery/queue-backend.js';
import {
  PermanentSendError,
  RateLimitedError,
  type SendDeps,
  sendBatch,
} from '../src/delivery/send-batch.js';
import { parsePayload, QUEUE_NAMES } from '../src/queues.js';
import type { JobHandler } from './handler.js';

/**
 * Send jobs: unpack, validate, send the batch. A 429 pauses the whole queue for retry-after
 * (without using up an attempt); a rejected batch is not retried; anything else retries with backoff.
 */
export function sendHandlers(deps: SendDeps & { backend: QueueBackend }): JobHandler[] {
  return [
    {
      name: 'send-batch',
      queue: 'sends',
      run: async (job: Job) => {
        const { batchKey, editionDate } = parsePayload('send-batch', job.data);
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        try {
          return await sendBatch(deps, batchKey, { editionDate, finalAttempt });
        } catch (error) {
          if (error instanceof RateLimitedError) {
            await deps.backend.queue(QUEUE_NAMES.sends).rateLimit(error.retryAfterMs);
            throw Worker.RateLimitError();
          }
          if (error instanceof PermanentSendError) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
    },
  ];
}
