import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppContext, createContext } from '../../src/context.js';
import { editionSummary } from '../../src/delivery/deliveries.repository.js';
import {
  createQueueBackend,
  type QueueBackend,
  queueBackendOptions,
} from '../../src/delivery/queue-backend.js';
import { testConfig } from './config.js';
import type { TestDatabase } from './database.js';
import type { FakeResend } from './fake-resend.js';
import { TEST_REDIS_URL } from './redis.js';

/** The environment a worker needs to run against a test database, a queue prefix and the fake Resend. */
export function workerEnv(
  t: TestDatabase,
  fake: FakeResend,
  prefix: string,
  options: { redis?: boolean; extra?: Record<string, string> } = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    PUBLIC_URL: 'http://paperboy.test',
    MAIL_FROM: 'paperboy <digest@paperboy.test>',
    DATABASE_URL: t.url,
    ...(options.redis === false ? { REDIS_URL: '' } : { REDIS_URL: TEST_REDIS_URL }),
    QUEUE_PREFIX: prefix,
    MAIL_TRANSPORT: 'resend',
    RESEND_API_KEY: fake.apiKey,
    RESEND_BASE_URL: fake.url,
    SEND_RATE_PER_SECOND: '0',
    RESEND_TIMEOUT_SECONDS: '5',
    JOB_LOCK_SECONDS: '2',
    PAPERBOY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'paperboy-data-')),
    ...options.extra,
  };
}

export async function workerContext(env: Record<string, string>): Promise<AppContext> {
  return createContext({ config: testConfig(env), migrate: false });
}

export function backendFor(ctx: AppContext): QueueBackend {
  return createQueueBackend(queueBackendOptions(ctx.config, ctx.database.url));
}

/** Polls until no delivery of the edition is planned or sending. */
export async function waitForEdition(
  t: TestDatabase,
  date: string,
  options: { expected?: number; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await editionSummary(t.db, date);
    const total = Object.values(s.counts).reduce((a, b) => a + b, 0);
    if (total >= (options.expected ?? 1) && s.counts.planned + s.counts.sending === 0) return;
    if (Date.now() > deadline) throw new Error(`edition ${date} not finished: ${JSON.stringify(s.counts)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** How many emails each address got. */
export function countsByAddress(fake: FakeResend): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of fake.emails) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}
