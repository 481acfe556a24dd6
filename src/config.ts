import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a `Config`.
 * Every variable is listed, with a comment, in `.env.example`.
 */

const url = (what: string) =>
  z.string().refine((v) => {
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  }, `must be a URL (${what})`);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString.pipe(url('postgres://user@host:5432/db').optional()),
  PAPERBOY_DATA_DIR: z.string().default('.paperboy'),
  REDIS_URL: optionalString.pipe(url('redis://127.0.0.1:6379').optional()),
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString.pipe(url('http://127.0.0.1:3030').optional()),
  RESEND_WEBHOOK_SECRET: optionalString.pipe(
    z.string().startsWith('whsec_', 'must start with whsec_ (copy it from the Resend dashboard)').optional(),
  ),
  MAIL_FROM: z.string().default('paperboy <digest@paperboy.localhost>'),
  MAIL_REPLY_TO: optionalString,
  MAIL_TRANSPORT: z.enum(['resend', 'outbox'], { message: "must be 'resend' or 'outbox'" }).default('outbox'),
  OUTBOX_DIR: z.string().default('outbox'),
  UNSUBSCRIBE_MAILTO: optionalString,
  SENDER_NAME: z.string().default('paperboy'),
  SENDER_ADDRESS: z.string().default('paperboy, 1 Example Street, 00000 Example City'),
  SUBJECT_TEMPLATE: z.string().default('{{date}}: {{topTitle}}{{more}}'),
  PUBLIC_URL: url('https://papers.example.org').default('http://localhost:3000'),
  PORT: int(1, 65535, 3000),
  SIGNING_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  SIGNING_SECRET_PREVIOUS: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_PORT: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be a port, 1 to 65535')
      .max(65535, 'must be a port, 1 to 65535')
      .optional(),
  ),
  HF_BASE_URL: url('https://huggingface.co').default('https://huggingface.co'),
  ARXIV_BASE_URL: url('https://export.arxiv.org').default('https://export.arxiv.org'),
  SEND_RATE_PER_SECOND: int(0, 10_000, 2),
  WORKER_CONCURRENCY: int(1, 64, 4),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,40}$/i, 'must be letters, digits, - or _ (no colons)')
    .default('paperboy'),
  JOB_LOCK_SECONDS: int(2, 3600, 30),
  RESEND_TIMEOUT_SECONDS: int(1, 600, 30),
  SOFT_BOUNCE_LIMIT: int(1, 100, 3),
  SOFT_BOUNCE_WINDOW_DAYS: int(1, 365, 30),
  BOUNCE_ACTION: z
    .enum(['suppress', 'unsubscribe'], { message: "must be 'suppress' or 'unsubscribe'" })
    .default('suppress'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  resend: { apiKey: string | undefined; baseUrl: string | undefined; webhookSecret: string | undefined };
  mail: {
    from: string;
    replyTo: string | undefined;
    transport: 'resend' | 'outbox';
    outboxDir: string;
    unsubscribeMailto: string;
    senderName: string;
    senderAddress: string;
    subjectTemplate: string;
  };
  publicUrl: string;
  port: number;
  signingSecrets: { current: string; previous: string | undefined };
  adminToken: string | undefined;
  /** Where a worker process serves /metrics (the web server serves its own on PORT). Unset: none. */
  metricsPort: number | undefined;
  sources: { hfBaseUrl: string; arxivBaseUrl: string };
  sendRatePerSecond: number;
  workerConcurrency: number;
  queue: {
    /** Redis key prefix; without Redis, the PostgreSQL schema is `bullmq` (`bullmq_<prefix>` for another prefix). */
    prefix: string;
    /** A job whose worker stops renewing its lock this long is taken over by another worker. */
    lockSeconds: number;
  };
  resendTimeoutSeconds: number;
  softBounce: { limit: number; windowDays: number };
  /** What a hard bounce does besides suppressing the address: `unsubscribe` also ends the subscription. */
  bounceAction: 'suppress' | 'unsubscribe';
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID' as const;
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`);
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        const given = source[name];
        return `${name}: ${i.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.MAIL_TRANSPORT === 'resend' && !e.RESEND_API_KEY) {
    throw new ConfigError(['RESEND_API_KEY: required when MAIL_TRANSPORT=resend']);
  }
  if (e.NODE_ENV === 'production' && !e.SIGNING_SECRET) {
    throw new ConfigError(['SIGNING_SECRET: required when NODE_ENV=production (32+ random characters)']);
  }
  const fromAddress = /<([^>]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM;
  const domain = fromAddress.split('@')[1] ?? 'paperboy.localhost';
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.PAPERBOY_DATA_DIR),
    redisUrl: e.REDIS_URL,
    resend: { apiKey: e.RESEND_API_KEY, baseUrl: e.RESEND_BASE_URL, webhookSecret: e.RESEND_WEBHOOK_SECRET },
    mail: {
      from: e.MAIL_FROM,
      replyTo: e.MAIL_REPLY_TO,
      transport: e.MAIL_TRANSPORT,
      outboxDir: path.resolve(e.OUTBOX_DIR),
      unsubscribeMailto: e.UNSUBSCRIBE_MAILTO ?? `unsubscribe@${domain}`,
      senderName: e.SENDER_NAME,
      senderAddress: e.SENDER_ADDRESS,
      subjectTemplate: e.SUBJECT_TEMPLATE,
    },
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    port: e.PORT,
    signingSecrets: {
      current: e.SIGNING_SECRET ?? developmentSecret(path.resolve(e.PAPERBOY_DATA_DIR)),
      previous: e.SIGNING_SECRET_PREVIOUS,
    },
    adminToken: e.ADMIN_TOKEN,
    metricsPort: e.METRICS_PORT,
    sources: {
      hfBaseUrl: e.HF_BASE_URL.replace(/\/+$/, ''),
      arxivBaseUrl: e.ARXIV_BASE_URL.replace(/\/+$/, ''),
    },
    sendRatePerSecond: e.SEND_RATE_PER_SECOND,
    workerConcurrency: e.WORKER_CONCURRENCY,
    queue: { prefix: e.QUEUE_PREFIX, lockSeconds: e.JOB_LOCK_SECONDS },
    resendTimeoutSeconds: e.RESEND_TIMEOUT_SECONDS,
    softBounce: { limit: e.SOFT_BOUNCE_LIMIT, windowDays: e.SOFT_BOUNCE_WINDOW_DAYS },
    bounceAction: e.BOUNCE_ACTION,
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * Outside production an unset SIGNING_SECRET gets a random one kept in the data folder, so links
 * stay valid across restarts of a local install without any set-up.
 */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'signing-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
