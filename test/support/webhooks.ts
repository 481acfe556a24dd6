import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import type { Db } from '../../src/db/database.js';

/**
 * Resend webhook payloads signed the way Svix signs them (the Standard Webhooks library), for
 * tests and the benchmark.
 */

export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('paperboy-test-webhook-secret-32b').toString('base64')}`;

export function randomWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface EventOptions {
  emailId?: string;
  to?: string | string[];
  createdAt?: Date;
  /** Merged into `data` (e.g. `{ bounce: { type: 'Permanent', ... } }`). */
  data?: Record<string, unknown>;
}

/** A Resend event in the shape of its documented payloads. */
export function resendEvent(type: string, options: EventOptions = {}): Record<string, unknown> {
  const createdAt = (options.createdAt ?? new Date()).toISOString();
  const to = options.to ?? 'reader@example.org';
  return {
    type,
    created_at: createdAt,
    data: {
      created_at: createdAt,
      email_id: options.emailId ?? randomUUID(),
      from: 'paperboy <digest@paperboy.test>',
      to: Array.isArray(to) ? to : [to],
      subject: 'Papers for 2026-11-27',
      message_id: `<${randomUUID()}@paperboy.test>`,
      ...options.data,
    },
  };
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** Signs `body` (a string is sent as is; anything else as JSON) with `secret` at `at`. */
export function signWebhook(
  secret: string,
  payload: unknown,
  options: { id?: string; at?: Date } = {},
): SignedRequest {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': signature,
    },
  };
}

/** An AppContext on a test database, with a logger whose lines the test can read. */
export function webhookContext(
  database: { db: Db; url: string },
  config: Config,
): { ctx: AppContext; logs: Array<{ level: number; msg: string; [key: string]: unknown }> } {
  const logs: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const ctx: AppContext = {
    config,
    db: database.db,
    database: { db: database.db, url: database.url, embedded: false, close: async () => {} },
    logger,
    close: async () => {},
  };
  return { ctx, logs };
}
