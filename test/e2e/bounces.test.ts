import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComposer } from '../../src/delivery/compose-digest.js';
import { planDay, type SendBatchRef } from '../../src/delivery/plan-edition.js';
import { createResendTransport } from '../../src/delivery/resend.transport.js';
import { type SendDeps, sendBatch } from '../../src/delivery/send-batch.js';
import { buildServer } from '../../src/http/server.js';
import { suppressedAmong } from '../../src/subscribers/suppressions.repository.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';
import { generatePapers } from '../support/generate.js';
import { manySubscribers, seedPapers, seedSubscribers } from '../support/seed.js';
import { resendEvent, signWebhook, TEST_WEBHOOK_SECRET, webhookContext } from '../support/webhooks.js';

// One edition goes out through the real send path (to a fake Resend), Resend's webhooks come
// back signed, and the next edition must leave out the bounced and the complaining address.
const DAY1 = '2026-11-26';
const DAY2 = '2026-11-27';

let t: TestDatabase;
let fake: FakeResend;
let deps: SendDeps;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeResend();
  await seedPapers(t.db, [
    ...generatePapers(20, { listedOn: DAY1, idPrefix: '2611' }),
    ...generatePapers(20, { listedOn: DAY2, idPrefix: '2612', seed: 7 }),
  ]);
  const config = testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  deps = {
    db: t.db,
    transport: createResendTransport({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs: 2000 }),
    composer: createComposer({ db: t.db, config }),
  };
  app = await buildServer(webhookContext(t, config).ctx);
});

afterAll(async () => {
  await app?.close();
  await fake?.close();
  await t?.drop();
});

async function sendEdition(date: string): Promise<void> {
  const batches: SendBatchRef[] = [];
  await planDay({ db: t.db, enqueueSends: async (b) => void batches.push(...b) }, date);
  for (const b of batches) await sendBatch(deps, b.batchKey, { editionDate: date });
}

async function webhook(type: string, resendId: string, to: string, data: Record<string, unknown> = {}) {
  const request = signWebhook(TEST_WEBHOOK_SECRET, resendEvent(type, { emailId: resendId, to, data }));
  const response = await app.inject({
    method: 'POST',
    url: '/webhooks/resend',
    headers: request.headers,
    payload: request.body,
  });
  expect(response.statusCode).toBe(200);
}

describe('after a hard bounce or a complaint', () => {
  it('the next edition sends that address nothing', async () => {
    await seedSubscribers(t.db, manySubscribers(4));
    await sendEdition(DAY1);
    expect(fake.emails.map((e) => e.to[0]).sort()).toEqual([
      'reader0@example.com',
      'reader1@example.com',
      'reader2@example.com',
      'reader3@example.com',
    ]);
    const idOf = (to: string) => fake.emails.find((e) => e.to[0] === to)!.id;

    await webhook('email.delivered', idOf('reader0@example.com'), 'reader0@example.com');
    await webhook('email.bounced', idOf('reader1@example.com'), 'Reader1@Example.com', {
      bounce: { type: 'Permanent', subType: 'General', message: '550 5.1.1 user unknown' },
    });
    await webhook('email.complained', idOf('reader2@example.com'), 'reader2@example.com');
    // One delay is below the limit: that reader still gets the next edition.
    await webhook('email.delivery_delayed', idOf('reader3@example.com'), 'reader3@example.com');

    const blocked = await suppressedAmong(
      t.db,
      fake.emails.map((e) => e.to[0]!),
    );
    expect([...blocked].sort()).toEqual(['reader1@example.com', 'reader2@example.com']);
    const complainer = await t.db
      .selectFrom('subscribers')
      .select(['status', 'unsubscribed_at'])
      .where('email', '=', 'reader2@example.com')
      .executeTakeFirstOrThrow();
    expect(complainer.status).toBe('unsubscribed');
    expect(complainer.unsubscribed_at).not.toBeNull();

    const day1 = await t.db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['email', 'last_event', 'delivered_at', 'bounced_at', 'complained_at'])
      .where('edition_date', '=', DAY1)
      .orderBy('email')
      .execute();
    expect(day1.map((r) => [r.email, r.last_event])).toEqual([
      ['reader0@example.com', 'email.delivered'],
      ['reader1@example.com', 'email.bounced'],
      ['reader2@example.com', 'email.complained'],
      ['reader3@example.com', 'email.delivery_delayed'],
    ]);

    fake.emails.length = 0;
    await sendEdition(DAY2);
    expect(fake.emails.map((e) => e.to[0]).sort()).toEqual(['reader0@example.com', 'reader3@example.com']);
  });
});
