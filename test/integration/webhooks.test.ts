import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  randomWebhookSecret,
  resendEvent,
  type SignedRequest,
  signWebhook,
  TEST_WEBHOOK_SECRET,
  webhookContext,
} from '../support/webhooks.js';

let t: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDatabase();
  const { ctx } = webhookContext(t, testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET }));
  app = await buildServer(ctx);
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

function post(request: SignedRequest) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/resend',
    headers: request.headers,
    payload: request.body,
  });
}

async function storedCount(svixId?: string): Promise<number> {
  let query = t.db.selectFrom('email_events').select((eb) => eb.fn.countAll<string>().as('n'));
  if (svixId) query = query.where('svix_id', '=', svixId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Each refused request must leave the table as it was. */
async function expectRefused(request: SignedRequest, status: number, reason: RegExp): Promise<void> {
  const before = await storedCount();
  const response = await post(request);
  expect(response.statusCode).toBe(status);
  expect(response.json().error).toMatch(reason);
  expect(await storedCount()).toBe(before);
}

describe('POST /webhooks/resend signature checks', () => {
  it('stores a correctly signed event once; a replay answers 200 and stores nothing more', async () => {
    const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.delivered'));
    const first = await post(request);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ ok: true, duplicate: false });
    const again = await post(request);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ok: true, duplicate: true });
    expect(await storedCount(request.headers['svix-id'])).toBe(1);
    const row = await t.db
      .selectFrom('email_events')
      .selectAll()
      .where('svix_id', '=', request.headers['svix-id']!)
      .executeTakeFirstOrThrow();
    expect(row.type).toBe('email.delivered');
    expect(row.email).toBe('reader@example.org');
    expect(row.payload).toEqual(JSON.parse(request.body));
  });

  it('refuses a forged signature', async () => {
    const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.bounced'));
    request.headers['svix-signature'] = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
    await expectRefused(request, 401, /signature does not match/);
  });

  it('refuses a signature replayed under a new timestamp', async () => {
    const old = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.bounced'), {
      at: new Date(Date.now() - 10 * 60_000),
    });
    const request = {
      ...old,
      headers: { ...old.headers, 'svix-timestamp': String(Math.floor(Date.now() / 1000)) },
    };
    await expectRefused(request, 401, /signature does not match/);
  });

  it('refuses a stale and a future timestamp (more than 5 minutes away)', async () => {
    const stale = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.bounced'), {
      at: new Date(Date.now() - 5 * 60_000 - 30_000),
    });
    await expectRefused(stale, 401, /more than 5 minutes old/);
    const future = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.bounced'), {
      at: new Date(Date.now() + 5 * 60_000 + 30_000),
    });
    await expectRefused(future, 401, /in the future/);
  });

  it('accepts a timestamp 4 minutes old', async () => {
    const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.opened'), {
      at: new Date(Date.now() - 4 * 60_000),
    });
    expect((await post(request)).statusCode).toBe(200);
  });

  it('refuses a payload signed with another secret', async () => {
    const request = signWebhook(randomWebhookSecret(), resendEvent('email.complained'));
    await expectRefused(request, 401, /signature does not match/);
  });

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('refuses a request without %s', async (header) => {
    const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.bounced'));
    delete request.headers[header];
    await expectRefused(request, 400, new RegExp(`missing ${header}`));
  });

  it('refuses a timestamp that is not Unix seconds', async () => {
    const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.bounced'));
    request.headers['svix-timestamp'] = new Date().toISOString();
    await expectRefused(request, 400, /Unix seconds/);
  });

  it('refuses correctly signed bytes that are not JSON, or JSON that is not an event', async () => {
    await expectRefused(signWebhook(TEST_WEBHOOK_SECRET, '{"type":"email.bounced",'), 400, /not valid JSON/);
    await expectRefused(signWebhook(TEST_WEBHOOK_SECRET, '[1,2,3]'), 400, /no "type"/);
    await expectRefused(signWebhook(TEST_WEBHOOK_SECRET, '{"type":"email.sent","data":3}'), 400, /"data"/);
    await expectRefused(signWebhook(TEST_WEBHOOK_SECRET, ''), 400, /not valid JSON/);
    const nul = JSON.stringify(resendEvent('email.opened', { data: { subject: 'a\u0000b' } }));
    expect(nul).toContain('\\u0000');
    await expectRefused(signWebhook(TEST_WEBHOOK_SECRET, nul), 400, /u0000/);
  });

  it('refuses the same JSON re-serialised into different bytes', async () => {
    const event = resendEvent('email.bounced');
    const signed = signWebhook(TEST_WEBHOOK_SECRET, JSON.stringify(event, null, 2));
    await expectRefused({ ...signed, body: JSON.stringify(event) }, 401, /signature does not match/);
    // Sanity: the original bytes go through.
    expect((await post(signed)).statusCode).toBe(200);
  });

  it('verifies the raw body whatever the content type says', async () => {
    const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.sent'));
    request.headers['content-type'] = 'text/plain';
    expect((await post(request)).statusCode).toBe(200);
    const tampered = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.sent'));
    tampered.headers['content-type'] = 'application/x-www-form-urlencoded';
    await expectRefused({ ...tampered, body: `${tampered.body} ` }, 401, /signature does not match/);
  });

  it('keeps other routes on the ordinary parsers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toMatchObject({ ok: true, database: { ok: true } });
  });
});

describe('POST /webhooks/resend without a secret', () => {
  it('answers 503 and the log says webhooks are off', async () => {
    const { ctx, logs } = webhookContext(t, testConfig());
    const off = await buildServer(ctx);
    try {
      const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.delivered'));
      const before = await storedCount();
      const response = await off.inject({
        method: 'POST',
        url: '/webhooks/resend',
        headers: request.headers,
        payload: request.body,
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatch(/RESEND_WEBHOOK_SECRET/);
      expect(await storedCount()).toBe(before);
      expect(logs.some((l) => l.level === 40 && /webhooks are off/.test(l.msg))).toBe(true);
    } finally {
      await off.close();
    }
  });
});
