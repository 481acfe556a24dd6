import type { Db } from '../db/database.js';
import type { QueueBackend } from '../delivery/queue-backend.js';
import { QUEUE_NAMES } from '../queues.js';

/**
 * What /healthz reports: the database and the queue backend (Redis, or BullMQ's PostgreSQL
 * backend), each with how long it took. Details of a failure go to the log, not to the public.
 */

export interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface Health {
  ok: boolean;
  database: Check;
  queues: Check & { backend: QueueBackend['kind'] };
}

/** @defaultValue 2000 ms: a health check that hangs is a failed one. */
const TIMEOUT_MS = 2000;

async function check(run: () => Promise<unknown>, timeoutMs: number): Promise<Check & { cause?: unknown }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (cause) {
    return { ok: false, ms: Math.round(performance.now() - started), error: 'unreachable', cause };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(
  db: Db,
  queues: QueueBackend,
  options: { timeoutMs?: number; onError?: (what: string, cause: unknown) => void } = {},
): Promise<Health> {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const [database, queue] = await Promise.all([
    check(() => db.selectNoFrom((eb) => eb.val(1).as('ok')).execute(), timeoutMs),
    check(() => queues.queue(QUEUE_NAMES.sends).getJobCounts('waiting'), timeoutMs),
  ]);
  for (const [what, result] of [
    ['database', database],
    ['queues', queue],
  ] as const) {
    if (result.cause !== undefined) options.onError?.(what, result.cause);
    delete result.cause;
  }
  return { ok: database.ok && queue.ok, database, queues: { ...queue, backend: queues.kind } };
}
