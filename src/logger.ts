import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr (stdout stays free for command output). */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  bindings: Record<string, unknown> = {},
) {
  return pino({ level, base: { app: 'paperboy', ...bindings } }, pino.destination(2));
}

/** The ids a log line can carry; the same keys everywhere so logs can be searched by them. */
export interface LogIds {
  /** Edition date, 'YYYY-MM-DD'. */
  edition?: string;
  delivery?: string;
  batch?: string;
  subscriber?: string;
  job?: string;
}

/**
 * A child logger whose every line carries the given ids (undefined ones are left out), e.g.
 * `withIds(logger, { edition: '2026-11-27', delivery: '42' }).info('sent')`.
 */
export function withIds(logger: Logger, ids: LogIds & Record<string, string | number | undefined>): Logger {
  const bindings: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(ids)) if (value !== undefined) bindings[key] = value;
  return logger.child(bindings);
}
