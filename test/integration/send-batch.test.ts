import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createComposer } from '../../src/delivery/compose-digest.js';
import { editionSummary } from '../../src/delivery/deliveries.repository.js';
import { planDay, type SendBatchRef } from '../../src/delivery/plan-edition.js';
import { createResendTransport } from '../../src/delivery/resend.transport.js';
import {
  PermanentSendError,
  RateLimitedError,
  type SendDeps,
  sendBatch,
  TransientSendError,
} from '../../src/delivery/send-batch.js';
import { suppress } from '../../src/subscribers/suppressions.repository.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';
import { generatePapers } from '../support/generate.js';
import { manySubscribers, seedPapers, seedSubscribers } from '../support/seed.js';

const D = '2026-11-26';

describe('sending a batch', () => {
  let t: TestDatabase;
  let fake: FakeResend;
  let deps: SendDeps;
  let batches: SendBatchRef[];

  beforeAll(async () => {
    t = await createTestDatabase();
    fake = await startFakeResend({ hangMs: 2000 });
    await seedPapers(t.db, generatePapers(30, { listedOn: D }));
    deps = {
      db: t.db,
      transport: createResendTransport({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs: 300 }),
      composer: createComposer({ db: t.db, config: testConfig() }),
    };
  });
  afterAll(async () => {
    await fake.close();
    await t.drop();
  });
  beforeEach(async () => {
    fake.emails.length = 0;
    await t.db.deleteFrom('deliveries').execute();
    await t.db.deleteFrom('subscribers').execute();
    await t.db.deleteFrom('suppressions').execute();
    await t.db.deleteFrom('editions').execute();
    batches = [];
  });

  const plan = async (date = D) => {
    batches = [];
    await planDay({ db: t.db, enqueueSends: async (b) => void batches.push(...b) }, date);
    return batches;
  };
  const states = async () =>
    Object.fromEntries(
      (
        await t.db
          .selectFrom('deliveries')
          .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
          .select(['email', 'state', 'reason'])
          .execute()
      ).map((r) => [r.email, r.reason ? `${r.state}: ${r.reason}` : r.state]),
    );

  it('sends one email per delivery with the unsubscribe headers, and stores Resend ids', async () => {
    await seedSubscribers(t.db, manySubscribers(3));
    const [batch] = await plan();
    const result = await sendBatch(deps, batch!.batchKey, { editionDate: D });
    expect(result).toMatchObject({ sent: 3, skipped: 0, failed: 0 });
    expect(fake.emails).toHaveLength(3);
    const rows = await t.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.resend_id).sort()).toEqual(fake.emails.map((e) => e.id).sort());
    expect(
      rows.every((r) => r.state === 'sent' && r.attempts === 1 && r.subject && r.paper_ids?.length),
    ).toBe(true);
    const mail = fake.emails[0]!;
    expect(mail.headers['List-Unsubscribe']).toMatch(
      /^<http:\/\/paperboy\.test\/unsubscribe\/[^>]+>, <mailto:unsubscribe@paperboy\.test\?subject=unsubscribe>$/,
    );
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.tags).toEqual(
      expect.arrayContaining([
        { name: 'edition', value: D },
        { name: 'template', value: 'classic' },
      ]),
    );
    // Sending the same batch again sends nothing more.
    expect(await sendBatch(deps, batch!.batchKey, { editionDate: D })).toMatchObject({ sent: 0 });
    expect(fake.emails).toHaveLength(3);
  });

  it('re-checks suppression and subscriber status at send time', async () => {
    await seedSubscribers(t.db, manySubscribers(4));
    const [batch] = await plan();
    await suppress(t.db, 'READER1@example.com', 'hard_bounce');
    await t.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed' })
      .where('email', '=', 'reader2@example.com')
      .execute();
    await t.db
      .updateTable('subscribers')
      .set({ status: 'pending' })
      .where('email', '=', 'reader3@example.com')
      .execute();
    await sendBatch(deps, batch!.batchKey, { editionDate: D });
    expect(await states()).toEqual({
      'reader0@example.com': 'sent',
      'reader1@example.com': 'skipped: suppressed',
      'reader2@example.com': 'skipped: unsubscribed',
      'reader3@example.com': 'skipped: unconfirmed',
    });
    expect(fake.emails.map((e) => e.to[0])).toEqual(['reader0@example.com']);
  });

  it('leaves a paused edition planned and sends it once resumed', async () => {
    await seedSubscribers(t.db, manySubscribers(2));
    const [batch] = await plan();
    await t.db.updateTable('editions').set({ status: 'paused' }).where('date', '=', D).execute();
    expect(await sendBatch(deps, batch!.batchKey, { editionDate: D })).toMatchObject({
      paused: true,
      sent: 0,
    });
    expect(Object.values(await states())).toEqual(['planned', 'planned']);
    await t.db.updateTable('editions').set({ status: 'open' }).where('date', '=', D).execute();
    expect(await sendBatch(deps, batch!.batchKey, { editionDate: D })).toMatchObject({ sent: 2 });
  });

  it('after a timeout the provider had accepted, the retry records the same ids and sends nothing twice', async () => {
    await seedSubscribers(t.db, manySubscribers(5));
    const [batch] = await plan();
    fake.failNext('timeout-after-accept');
    await expect(sendBatch(deps, batch!.batchKey, { editionDate: D })).rejects.toBeInstanceOf(
      TransientSendError,
    );
    expect(fake.emails).toHaveLength(5);
    expect(Object.values(await states())).toEqual(Array(5).fill('sending'));
    await sendBatch(deps, batch!.batchKey, { editionDate: D });
    expect(fake.emails).toHaveLength(5);
    const rows = await t.db.selectFrom('deliveries').select(['resend_id', 'attempts']).execute();
    expect(rows.map((r) => r.resend_id).sort()).toEqual(fake.emails.map((e) => e.id).sort());
    expect(rows.every((r) => r.attempts === 2)).toBe(true);
  });

  it('when someone unsubscribes between an accepted attempt and its retry, nobody gets a second email', async () => {
    await seedSubscribers(t.db, manySubscribers(3));
    const [batch] = await plan();
    fake.failNext('timeout-after-accept');
    await expect(sendBatch(deps, batch!.batchKey, { editionDate: D })).rejects.toThrow();
    await t.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed' })
      .where('email', '=', 'reader2@example.com')
      .execute();
    const retry = await sendBatch(deps, batch!.batchKey, { editionDate: D });
    expect(retry).toMatchObject({ sent: 2, skipped: 1 });
    expect(fake.emails).toHaveLength(3); // all from the first, accepted attempt
    const s = await states();
    expect(s['reader0@example.com']).toMatch(/^sent: accepted by an earlier attempt/);
    expect(s['reader2@example.com']).toBe('skipped: unsubscribed');
  });

  it('waits on 429, fails a rejected batch without retry, and marks rows failed on the last attempt', async () => {
    await seedSubscribers(t.db, [...manySubscribers(2), { email: 'broken@localhost' }]);
    const [batch] = await plan();
    fake.failNext('429');
    const limited = await sendBatch(deps, batch!.batchKey, { editionDate: D }).catch((e) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterMs).toBe(1000);
    fake.failNext('500');
    await sendBatch(deps, batch!.batchKey, { editionDate: D, finalAttempt: true });
    expect(await states()).toEqual({
      'reader0@example.com': expect.stringMatching(/^failed: gave up after retries: internal_server_error/),
      'reader1@example.com': expect.stringMatching(/^failed: gave up/),
      'broken@localhost': 'skipped: invalid address: broken@localhost',
    });
    expect(fake.emails).toHaveLength(0);

    await t.db.deleteFrom('deliveries').execute();
    await t.db
      .updateTable('subscribers')
      .set({ email: 'fine@example.com' })
      .where('email', '=', 'broken@localhost')
      .execute();
    const [again] = await plan();
    const rejecting = {
      ...deps,
      transport: createResendTransport({ apiKey: 're_wrong', baseUrl: fake.url }),
    };
    await expect(sendBatch(rejecting, again!.batchKey, { editionDate: D })).rejects.toBeInstanceOf(
      PermanentSendError,
    );
    expect(
      Object.values(await states()).every((s) => s.startsWith('failed: rejected: invalid_api_key')),
    ).toBe(true);
  });

  it('skips a quiet day or sends the short note, per preference', async () => {
    await seedSubscribers(t.db, [
      { email: 'skip@example.com', preferences: { quietDay: 'skip' } },
      { email: 'note@example.com', preferences: { quietDay: 'note' } },
    ]);
    const [batch] = await plan('2026-11-28'); // no papers listed that day
    const result = await sendBatch(deps, batch!.batchKey, { editionDate: '2026-11-28' });
    expect(result).toMatchObject({ sent: 1, skipped: 1 });
    expect((await states())['skip@example.com']).toMatch(/^skipped: quiet day: /);
    expect(fake.emails.map((e) => e.to[0])).toEqual(['note@example.com']);
    const summary = await editionSummary(t.db, '2026-11-28');
    expect(summary.counts).toMatchObject({ sent: 1, skipped: 1 });
  });

  it('records a paced call at the time its request left, when it left late', async () => {
    await seedSubscribers(t.db, manySubscribers(2));
    const [batch] = await plan();
    // The request leaves 300 ms after its turn (a busy event loop, a connection being opened).
    const slow: SendDeps = {
      ...deps,
      ratePerSecond: 5,
      transport: {
        ...deps.transport,
        batch: (key) => {
          const inner = deps.transport.batch(key);
          return {
            add: (email) => inner.add(email),
            send: (options) =>
              inner.send({
                ...options,
                beforeCall: async () => {
                  await options?.beforeCall?.();
                  await new Promise((r) => setTimeout(r, 300));
                },
              }),
          };
        },
      },
    };
    expect(await sendBatch(slow, batch!.batchKey, { editionDate: D })).toMatchObject({ sent: 2 });
    const arrivedAt = fake.arrivals.at(-1)!.at;
    const { calls } = await t.db
      .selectFrom('send_pacing')
      .select('calls')
      .where('name', '=', 'resend')
      .executeTakeFirstOrThrow();
    const recordedAt = new Date(calls.at(-1)!).getTime();
    // Recorded when it left, just before the fake saw it; from its turn, it would be ~300 ms earlier.
    expect(arrivedAt - recordedAt).toBeLessThan(150);
    expect(recordedAt - arrivedAt).toBeLessThan(50);
  });
});
