import type { Job, Worker } from 'bullmq';
import type { QueueName } from '../src/queues.js';

/** One job name's processor. workers/worker.ts checks the set against src/queues.ts at start-up. */
export interface JobHandler {
  name: string;
  queue: QueueName;
  run(job: Job, token: string | undefined, worker: Worker): Promise<unknown>;
}
