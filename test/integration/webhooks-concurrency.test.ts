import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { suppressedAmong } from '../../src/subscribers/suppressions.repository.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  resendEvent,
  type SignedRequest,
  signWebhook,
  TEST_WEBHOOK_SECRET,
  webhookContext,
} from '../support/webhooks.js';

// Real HTTP on loopback: the raw-body parser, keep-alive connections and the database pool all
// take part, as they do when Resend posts. Node's fetch opens as many connections as requests.
let t: TestDatabase;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  const { ctx } = webhookContext(t, testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET }));
  app = await buildServer(ctx);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

async function post(request: SignedRequest): Promise<{ status: number; duplicate?: boolean }> {
  const response = await fetch(`${base}/webhooks/resend`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const body = (await response.json()) as { duplicate?: boolean };
  return { status: response.status, duplicate: body.duplicate };
}

describe('concurrent webhooks over real HTTP', () => {
  it('stores 1,000 concurrent valid posts, each svix-id once, duplicates included', async () => {
    const types = [
      'email.delivered',
      'email.opened',
      'email.clicked',
      'email.delivery_delayed',
      'email.bounced',
    ];
    const unique = Array.from({ length: 900 }, (_, i) =>
      signWebhook(
        TEST_WEBHOOK_SECRET,
        resendEvent(types[i % types.length]!, { to: `reader${i % 300}@example.org` }),
      ),
    );
    // 100 resends of already-listed events, byte for byte, mixed in among the originals.
    const requests = [...unique, ...unique.slice(0, 100)];
    for (let i = requests.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [requests[i], requests[j]] = [requests[j]!, requests[i]!];
    }
    const results = await Promise.all(requests.map(post));
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.duplicate).length).toBe(100);
    const counts = await sql<{ total: string; distinct: string }>`
      select count(*) as total, count(distinct svix_id) as distinct from email_events`.execute(t.db);
    expect(counts.rows[0]).toEqual({ total: '900', distinct: '900' });
    const ids = await t.db.selectFrom('email_events').select('svix_id').execute();
    expect(new Set(ids.map((r) => r.svix_id))).toEqual(new Set(unique.map((u) => u.headers['svix-id'])));
  }, 60_000);

  it('suppresses after three delays that arrive at the same moment', async () => {
    const email = 'simultaneous@example.org';
    const delays = Array.from({ length: 3 }, () =>
      signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.delivery_delayed', { to: email })),
    );
    const results = await Promise.all(delays.map(post));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await suppressedAmong(t.db, [email])).has(email)).toBe(true);
  });
});
