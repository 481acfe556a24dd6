import type { Job } from 'bullmq';
import type { Db } from '../src/db/database.js';
import { enqueueSends } from '../src/delivery/delivery-queues.js';
import { planDay, planHour } from '../src/delivery/plan-edition.js';
import type { QueueBackend } from '../src/delivery/queue-backend.js';
import { parsePayload } from '../src/queues.js';
import type { JobHandler } from './handler.js';

/** Plan jobs: unpack, validate, plan the hour (scheduler) or the day (manual run). */
export function planHandlers(deps: { db: Db; backend: QueueBackend }): JobHandler[] {
  const planDeps = {
    db: deps.db,
    enqueueSends: (b: Parameters<typeof enqueueSends>[1]) => enqueueSends(deps.backend, b),
  };
  return [
    {
      name: 'plan-hour',
      queue: 'editions',
      run: async (job: Job) => {
        const { hour } = parsePayload('plan-hour', job.data);
        return planHour(planDeps, hour);
      },
    },
    {
      name: 'plan-day',
      queue: 'editions',
      run: async (job: Job) => {
        const { date } = parsePayload('plan-day', job.data);
        return planDay(planDeps, date);
      },
    },
  ];
}
