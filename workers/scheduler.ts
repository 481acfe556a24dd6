import { pathToFileURL } from 'node:url';
import cron from 'node-cron';
import { createContext } from '../src/context.js';
import { enqueuePlanHour } from '../src/delivery/delivery-queues.js';
import { createQueueBackend, type QueueBackend, queueBackendOptions } from '../src/delivery/queue-backend.js';
import { formatUtcHour } from '../src/delivery/schedule.js';
import type { Logger } from '../src/logger.js';

/**
 * `paperboy scheduler`: at minute 0 of every hour (and once at start) enqueue that UTC hour's plan
 * job. Its id is derived from the hour (`plan-2026-11-24-h07`), so two schedulers, a restart or a
 * manual trigger add one job, and the edition is planned once.
 */
export function startScheduler(
  backend: QueueBackend,
  logger: Logger,
): { stop(): void; tick(now?: Date): Promise<void> } {
  const tick = async (now = new Date()) => {
    const hour = formatUtcHour(now);
    try {
      const id = await enqueuePlanHour(backend, hour);
      logger.info({ jobId: id }, 'plan job enqueued');
    } catch (err) {
      logger.error({ hour, err: (err as Error).message }, 'could not enqueue the plan job');
    }
  };
  const task = cron.schedule('0 * * * *', () => tick(), { timezone: 'UTC' });
  return { stop: () => void task.stop(), tick };
}

async function main(): Promise<void> {
  const ctx = await createContext();
  const backend = createQueueBackend(queueBackendOptions(ctx.config, ctx.database.url));
  const scheduler = startScheduler(backend, ctx.logger);
  await scheduler.tick();
  const stop = async () => {
    scheduler.stop();
    await backend.close();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`paperboy scheduler: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
