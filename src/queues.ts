import { z } from 'zod';

/**
 * The one registry of queues and jobs. Queue names and job ids are PERSISTED in Redis (or in the
 * PostgreSQL queue schema): renaming a queue or changing how an id is built strands the jobs
 * already queued and breaks the dedupe that stops an edition being planned twice. BullMQ job ids
 * may not contain ':'.
 */

export const QUEUE_NAMES = { editions: 'editions', sends: 'sends' } as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const jobPayloads = {
  /** Plan the deliveries due in one UTC hour ('2026-11-24T07'). */
  'plan-hour': z.object({
    hour: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/, 'must be YYYY-MM-DDTHH (UTC)'),
  }),
  /** Plan edition `date` for every subscriber due that day, whatever their send hour (manual run). */
  'plan-day': z.object({ date: isoDate }),
  /** Send one fixed batch of ≤ 100 deliveries. */
  'send-batch': z.object({ batchKey: z.string().min(1), editionDate: isoDate }),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName = JobName> = z.infer<(typeof jobPayloads)[N]>;

export class JobPayloadError extends Error {
  override readonly name = 'JobPayloadError';
  readonly code = 'JOB_PAYLOAD_INVALID' as const;
}

/** Validates a job's data against its name's schema; a bad payload names the job and the field. */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  const schema = jobPayloads[name] as unknown as z.ZodType<JobPayload<N>>;
  if (!schema) throw new JobPayloadError(`Unknown job name '${name}'`);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'} ${i.message}`);
    throw new JobPayloadError(`Job '${name}' has a bad payload: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Deterministic ids (persisted): `plan-2026-11-24-h07`, `plan-day-2026-11-26`, `send-<batch key>`. */
export const jobIds = {
  planHour: (hour: string) => `plan-${hour.slice(0, 10)}-h${hour.slice(11, 13)}`,
  planDay: (date: string) => `plan-day-${date}`,
  sendBatch: (batchKey: string) => `send-${batchKey}`,
};

/** At start-up: every job name has exactly one handler, and each handler names a known job. */
export function assertHandlers(handlers: { name: string }[]): void {
  const problems: string[] = [];
  for (const name of Object.keys(jobPayloads)) {
    const count = handlers.filter((h) => h.name === name).length;
    if (count === 0) problems.push(`job '${name}' has no handler`);
    if (count > 1) problems.push(`job '${name}' has ${count} handlers`);
  }
  for (const h of handlers)
    if (!(h.name in jobPayloads)) problems.push(`handler for unknown job '${h.name}'`);
  if (problems.length) throw new JobPayloadError(`Job registry: ${problems.join('; ')}`);
}
