import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createEventRecorder, emailEventPolicy } from '../../src/delivery/email-events.service.js';
import { buildServer } from '../../src/http/server.js';
import { listSuppressions, suppressedAmong } from '../../src/subscribers/suppressions.repository.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  type EventOptions,
  resendEvent,
  signWebhook,
  TEST_WEBHOOK_SECRET,
  webhookContext,
} from '../support/webhooks.js';

let t: TestDatabase;
const servers: FastifyInstance[] = [];
let app: FastifyInstance;
let logs: ReturnType<typeof webhookContext>['logs'];

async function server(config: Config) {
  const built = webhookContext(t, config);
  const instance = await buildServer(built.ctx);
  servers.push(instance);
  return { instance, logs: built.logs };
}

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.insertInto('editions').values({ date: '2026-11-27' }).execute();
  ({ instance: app, logs } = await server(testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET })));
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await t?.drop();
});

let serial = 0;

/** A subscriber with a sent delivery carrying a Resend email id. */
async function sentDigest(email = `reader${++serial}@example.org`) {
  const subscriber = await t.db
    .insertInto('subscribers')
    .values({ email, status: 'active', preferences: {}, confirmed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const resendId = randomUUID();
  const delivery = await t.db
    .insertInto('deliveries')
    .values({
      edition_date: '2026-11-27',
      subscriber_id: subscriber.id,
      state: 'sent',
      resend_id: resendId,
      sent_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { email, subscriberId: subscriber.id, deliveryId: delivery.id, resendId };
}

async function send(type: string, options: EventOptions & { svixId?: string } = {}, to = app) {
  const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent(type, options), { id: options.svixId });
  const response = await to.inject({
    method: 'POST',
    url: '/webhooks/resend',
    headers: request.headers,
    payload: request.body,
  });
  expect(response.statusCode).toBe(200);
  return { svixId: request.headers['svix-id']!, ...(response.json() as { duplicate: boolean }) };
}

const delivery = (id: string) =>
  t.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const subscriber = (id: string) =>
  t.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const suppressed = async (email: string) => (await suppressedAmong(t.db, [email])).has(email.toLowerCase());
const suppression = async (email: string) =>
  (await listSuppressions(t.db)).find((s) => s.email.toLowerCase() === email.toLowerCase());
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('tracking events on the delivery', () => {
  it('records sent, delivered, opened and clicked with their times and the last event', async () => {
    const d = await sentDigest();
    await send('email.sent', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(40) });
    await send('email.delivered', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(39) });
    await send('email.opened', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(20) });
    await send('email.opened', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(10) });
    await send('email.clicked', {
      emailId: d.resendId,
      to: d.email,
      createdAt: minutesAgo(5),
      data: { click: { link: 'https://arxiv.org/abs/2611.00001', timestamp: minutesAgo(5).toISOString() } },
    });
    const row = await delivery(d.deliveryId);
    expect(Math.abs(row.delivered_at!.getTime() - minutesAgo(39).getTime())).toBeLessThan(5_000);
    // The first open is kept; a later one moves only last_event.
    expect(Math.abs(row.opened_at!.getTime() - minutesAgo(20).getTime())).toBeLessThan(5_000);
    expect(row.clicked_at).not.toBeNull();
    expect(row.last_event).toBe('email.clicked');
    expect(row.state).toBe('sent');
    const events = await t.db
      .selectFrom('email_events')
      .select(['delivery_id', 'processed_at'])
      .where('resend_email_id', '=', d.resendId)
      .execute();
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.delivery_id === d.deliveryId && e.processed_at !== null)).toBe(true);
  });

  it('keeps the latest event when an older one arrives late', async () => {
    const d = await sentDigest();
    await send('email.opened', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(1) });
    await send('email.delivered', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(3) });
    const row = await delivery(d.deliveryId);
    expect(row.last_event).toBe('email.opened');
    expect(row.delivered_at).not.toBeNull();
  });

  it('stores events for unknown email ids and unknown types and otherwise ignores them', async () => {
    const d = await sentDigest();
    const before = await delivery(d.deliveryId);
    const unknownId = await send('email.delivered', { emailId: 'not-a-known-id', to: d.email });
    const unknownType = await send('contact.created', { emailId: d.resendId, to: d.email });
    const rows = await t.db
      .selectFrom('email_events')
      .selectAll()
      .where('svix_id', 'in', [unknownId.svixId, unknownType.svixId])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.type, r.delivery_id])).toEqual([
      ['email.delivered', null],
      ['contact.created', d.deliveryId],
    ]);
    const after = await delivery(d.deliveryId);
    expect(after.last_event).toBe(before.last_event);
    expect(after.delivered_at).toBeNull();
    expect(await suppressed(d.email)).toBe(false);
  });

  it('records email.failed on the delivery, logs it at error level, and suppresses nothing', async () => {
    const d = await sentDigest();
    await send('email.failed', {
      emailId: d.resendId,
      to: d.email,
      data: { failed: { reason: 'reached_daily_quota' } },
    });
    const row = await delivery(d.deliveryId);
    expect(row.last_event).toBe('email.failed');
    expect(row.reason).toBe('reached_daily_quota');
    expect(await suppressed(d.email)).toBe(false);
    expect(logs.some((l) => l.level === 50 && l.reason === 'reached_daily_quota')).toBe(true);
  });
});

describe('hard bounces, complaints and provider suppressions', () => {
  it('suppresses a hard bounce at once (case-insensitively) and leaves the subscription alone by default', async () => {
    const d = await sentDigest('Ada.Lovelace@Example.org');
    await send('email.bounced', {
      emailId: d.resendId,
      to: d.email,
      data: { bounce: { type: 'Permanent', subType: 'General', message: '550 5.1.1 user unknown' } },
    });
    expect(await suppressed('ada.lovelace@example.org')).toBe(true);
    expect((await suppressedAmong(t.db, ['ADA.LOVELACE@EXAMPLE.ORG'])).size).toBe(1);
    const entry = await suppression(d.email);
    expect(entry?.reason).toBe('hard_bounce');
    expect(entry?.detail).toBe('Permanent/General: 550 5.1.1 user unknown');
    const row = await delivery(d.deliveryId);
    expect(row.bounced_at).not.toBeNull();
    expect(row.last_event).toBe('email.bounced');
    expect((await subscriber(d.subscriberId)).status).toBe('active');
  });

  it('treats a bounce without bounce.type as permanent', async () => {
    const d = await sentDigest();
    await send('email.bounced', { emailId: d.resendId, to: d.email });
    expect((await suppression(d.email))?.reason).toBe('hard_bounce');
  });

  it('also unsubscribes on a hard bounce with BOUNCE_ACTION=unsubscribe', async () => {
    const { instance } = await server(
      testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, BOUNCE_ACTION: 'unsubscribe' }),
    );
    const d = await sentDigest();
    await send('email.bounced', { emailId: d.resendId, to: d.email }, instance);
    expect(await suppressed(d.email)).toBe(true);
    const s = await subscriber(d.subscriberId);
    expect(s.status).toBe('unsubscribed');
    expect(s.unsubscribed_at).not.toBeNull();
  });

  it('unsubscribes and suppresses on a complaint, once', async () => {
    const d = await sentDigest('Grace@Example.org');
    const first = await send('email.complained', { emailId: d.resendId, to: 'grace@example.org' });
    const s = await subscriber(d.subscriberId);
    expect(s.status).toBe('unsubscribed');
    expect(s.unsubscribed_at).not.toBeNull();
    expect(await suppressed(d.email)).toBe(true);
    expect((await suppression(d.email))?.reason).toBe('complaint');
    expect((await delivery(d.deliveryId)).complained_at).not.toBeNull();
    // The same event again changes nothing: the unsubscribe time stays the first one.
    const replay = await send('email.complained', { emailId: d.resendId, to: d.email, svixId: first.svixId });
    expect(replay.duplicate).toBe(true);
    expect((await subscriber(d.subscriberId)).unsubscribed_at).toEqual(s.unsubscribed_at);
  });

  it('mirrors Resend suppressing an address', async () => {
    const d = await sentDigest();
    await send('email.suppressed', {
      emailId: d.resendId,
      to: d.email,
      data: { suppressed: { type: 'OnAccountSuppressionList', message: 'on the suppression list' } },
    });
    const entry = await suppression(d.email);
    expect(entry?.reason).toBe('provider');
    expect(entry?.detail).toBe('OnAccountSuppressionList: on the suppression list');
  });

  it('keeps the suppression when the subscriber deletes their data', async () => {
    const d = await sentDigest();
    await send('email.complained', { emailId: d.resendId, to: d.email });
    await t.db.deleteFrom('subscribers').where('id', '=', d.subscriberId).execute();
    expect(await suppressed(d.email)).toBe(true);
    const events = await t.db
      .selectFrom('email_events')
      .select('delivery_id')
      .where('resend_email_id', '=', d.resendId)
      .execute();
    expect(events).toEqual([{ delivery_id: null }]);
  });
});

describe('delivery delays and transient bounces', () => {
  const delay = (d: { resendId: string; email: string }, minutes: number) =>
    send('email.delivery_delayed', { emailId: d.resendId, to: d.email, createdAt: minutesAgo(minutes) });

  it('suppress after SOFT_BOUNCE_LIMIT (3) within the window, counting a replay once', async () => {
    const d = await sentDigest();
    const first = await delay(d, 30);
    await send('email.delivery_delayed', { emailId: d.resendId, to: d.email, svixId: first.svixId });
    await send('email.bounced', {
      emailId: d.resendId,
      to: d.email,
      createdAt: minutesAgo(20),
      data: { bounce: { type: 'Transient', subType: 'MailboxFull', message: 'mailbox full' } },
    });
    expect(await suppressed(d.email)).toBe(false);
    expect((await delivery(d.deliveryId)).bounced_at).toBeNull();
    await delay(d, 10);
    expect(await suppressed(d.email)).toBe(true);
    const entry = await suppression(d.email);
    expect(entry?.reason).toBe('soft_bounce_limit');
    expect(entry?.detail).toMatch(/^3 delivery delays or transient bounces within 30 days/);
  });

  it('restart counting after a delivery', async () => {
    const d = await sentDigest();
    await delay(d, 50);
    await delay(d, 40);
    await send('email.delivered', { emailId: randomUUID(), to: d.email, createdAt: minutesAgo(30) });
    await delay(d, 20);
    await delay(d, 10);
    expect(await suppressed(d.email)).toBe(false);
    await delay(d, 5);
    expect(await suppressed(d.email)).toBe(true);
  });

  it('ignore delays older than the window', async () => {
    const d = await sentDigest();
    await delay(d, 60 * 24 * 40);
    await delay(d, 60 * 24 * 35);
    await delay(d, 10);
    expect(await suppressed(d.email)).toBe(false);
  });

  it('follow SOFT_BOUNCE_LIMIT from the configuration', async () => {
    const { instance } = await server(
      testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, SOFT_BOUNCE_LIMIT: '1' }),
    );
    const d = await sentDigest();
    await send('email.delivery_delayed', { emailId: d.resendId, to: d.email }, instance);
    expect((await suppression(d.email))?.reason).toBe('soft_bounce_limit');
  });
});

describe('events written together', () => {
  const recorder = () => {
    const { ctx } = webhookContext(t, testConfig());
    return createEventRecorder(t.db, emailEventPolicy(ctx.config), ctx.logger);
  };
  const verified = (svixId: string, body: string) => ({
    svixId,
    event: JSON.parse(body) as { type: string },
    rawBody: body,
  });

  it('store the good events of a batch, a bounce among them, when one of them cannot be stored', async () => {
    const record = recorder();
    const d = await sentDigest();
    const bounce = resendEvent('email.bounced', { emailId: d.resendId, to: d.email });
    const [good, bad, bounced] = await Promise.allSettled([
      record(verified('mixed-good', JSON.stringify(resendEvent('email.opened')))),
      record(verified('mixed-bad', '{"type":"email.opened","data":{"subject":"a\\u0000b"}}')),
      record(verified('mixed-bounce', JSON.stringify(bounce))),
    ]);
    expect(good.status === 'fulfilled' && !good.value.duplicate).toBe(true);
    expect(bad.status).toBe('rejected');
    expect(bounced.status === 'fulfilled' && bounced.value.effects).toEqual(['suppressed']);
    const stored = await t.db
      .selectFrom('email_events')
      .select('svix_id')
      .where('svix_id', 'like', 'mixed-%')
      .orderBy('svix_id')
      .execute();
    expect(stored).toEqual([{ svix_id: 'mixed-bounce' }, { svix_id: 'mixed-good' }]);
    expect(await suppressed(d.email)).toBe(true);
    expect((await delivery(d.deliveryId)).bounced_at).not.toBeNull();
  });

  it('apply the policy to each address of one batch: a complaint, a hard bounce and delays', async () => {
    const record = recorder();
    const [complainer, bouncer, slow] = [await sentDigest(), await sentDigest(), await sentDigest()];
    const post = (svixId: string, type: string, d: typeof slow, data?: Record<string, unknown>) =>
      record(verified(svixId, JSON.stringify(resendEvent(type, { emailId: d.resendId, to: d.email, data }))));
    const results = await Promise.all([
      post('policy-1', 'email.complained', complainer),
      post('policy-2', 'email.delivered', bouncer),
      post('policy-3', 'email.bounced', bouncer, { bounce: { type: 'Permanent' } }),
      post('policy-4', 'email.delivery_delayed', slow),
      post('policy-5', 'email.delivery_delayed', slow),
      post('policy-3', 'email.bounced', bouncer, { bounce: { type: 'Permanent' } }),
    ]);
    expect(results.map((r) => [r.kind, r.duplicate, r.effects])).toEqual([
      ['complaint', false, ['unsubscribed', 'suppressed']],
      ['delivered', false, []],
      ['hard_bounce', false, ['suppressed']],
      ['delayed', false, []],
      ['delayed', false, []],
      ['hard_bounce', true, []],
    ]);
    expect((await subscriber(complainer.subscriberId)).status).toBe('unsubscribed');
    expect((await delivery(complainer.deliveryId)).complained_at).not.toBeNull();
    expect(await suppressed(bouncer.email)).toBe(true);
    expect(await suppressed(slow.email)).toBe(false);
    await post('policy-6', 'email.delivery_delayed', slow);
    expect((await suppression(slow.email))?.reason).toBe('soft_bounce_limit');
  });

  it('apply several events for one delivery in one batch, and tell first copies from replays', async () => {
    const d = await sentDigest();
    const record = recorder();
    const event = (svixId: string, type: string, minutes: number) =>
      record(
        verified(
          svixId,
          JSON.stringify(
            resendEvent(type, { emailId: d.resendId, to: d.email, createdAt: minutesAgo(minutes) }),
          ),
        ),
      );
    const earlier = await event('batch-0', 'email.delivered', 50);
    expect(earlier.duplicate).toBe(false);
    const results = await Promise.all([
      event('batch-1', 'email.delivered', 30),
      event('batch-2', 'email.opened', 10),
      event('batch-3', 'email.opened', 20),
      event('batch-4', 'email.clicked', 5),
      event('batch-2', 'email.opened', 10),
      event('batch-0', 'email.delivered', 50),
    ]);
    expect(results.map((r) => r.duplicate)).toEqual([false, false, false, false, true, true]);
    expect(results[0]!.deliveryId).toBe(d.deliveryId);
    const row = await delivery(d.deliveryId);
    const near = (a: Date | null, minutes: number) =>
      Math.abs(a!.getTime() - minutesAgo(minutes).getTime()) < 5_000;
    expect(near(row.delivered_at, 50)).toBe(true);
    expect(near(row.opened_at, 20)).toBe(true);
    expect(near(row.clicked_at, 5)).toBe(true);
    expect(row.last_event).toBe('email.clicked');
    const stored = await t.db
      .selectFrom('email_events')
      .select('svix_id')
      .where('svix_id', 'like', 'batch-%')
      .execute();
    expect(stored.map((r) => r.svix_id).sort()).toEqual([
      'batch-0',
      'batch-1',
      'batch-2',
      'batch-3',
      'batch-4',
    ]);
  });
});
