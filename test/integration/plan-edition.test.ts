import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planDay, planHour, type SendBatchRef } from '../../src/delivery/plan-edition.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { manySubscribers, seedSubscribers } from '../support/seed.js';

describe('planning an edition', () => {
  let t: TestDatabase;
  let enqueued: SendBatchRef[];
  const deps = (pageSize = 1000) => ({
    db: t.db,
    pageSize,
    enqueueSends: async (b: SendBatchRef[]) => void enqueued.push(...b),
  });

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    enqueued = [];
    await t.db.deleteFrom('deliveries').execute();
    await t.db.deleteFrom('subscribers').execute();
  });

  it('plans the subscribers whose local send hour this is, each for their own edition date', async () => {
    await seedSubscribers(t.db, [
      { email: 'utc7@example.com' },
      { email: 'berlin7@example.com', preferences: { timezone: 'Europe/Berlin' } },
      { email: 'auckland7@example.com', preferences: { timezone: 'Pacific/Auckland' } },
      { email: 'utc9@example.com', preferences: { sendHour: 9 } },
      { email: 'weekly-mon@example.com', preferences: { frequency: 'weekly', weeklyDay: 1 } },
      { email: 'weekly-thu@example.com', preferences: { frequency: 'weekly', weeklyDay: 4 } },
      { email: 'pending@example.com', status: 'pending' },
      { email: 'gone@example.com', status: 'unsubscribed' },
    ]);
    const at07 = await planHour(deps(), '2026-11-26T07'); // a Thursday
    expect(at07.editions).toEqual({ '2026-11-25': { due: 2, planned: 2 } });
    const at06 = await planHour(deps(), '2026-11-26T06');
    expect(at06.editions).toEqual({ '2026-11-25': { due: 1, planned: 1 } });
    const at18 = await planHour(deps(), '2026-11-26T18');
    expect(at18.editions).toEqual({ '2026-11-26': { due: 1, planned: 1 } });
    const rows = await t.db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['email', 'edition_date', 'state'])
      .orderBy('email')
      .execute();
    expect(rows.map((r) => `${r.email} ${r.edition_date} ${r.state}`)).toEqual([
      'auckland7@example.com 2026-11-26 planned',
      'berlin7@example.com 2026-11-25 planned',
      'utc7@example.com 2026-11-25 planned',
      'weekly-thu@example.com 2026-11-25 planned',
    ]);
    expect(await t.db.selectFrom('editions').select('date').orderBy('date').execute()).toEqual([
      { date: '2026-11-25' },
      { date: '2026-11-26' },
    ]);
  });

  it('streams subscribers in keyset pages and batches every row exactly once, ≤ 100 per batch', async () => {
    await seedSubscribers(t.db, manySubscribers(1234));
    const result = await planDay(deps(97), '2026-11-26');
    expect(result.scanned).toBe(1234);
    expect(result.editions['2026-11-26']).toEqual({ due: 1234, planned: 1234 });
    const batches = await t.db
      .selectFrom('deliveries')
      .select(['batch_key', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('batch_key')
      .execute();
    expect(batches.every((b) => b.batch_key !== null && Number(b.n) <= 100)).toBe(true);
    expect(batches.reduce((sum, b) => sum + Number(b.n), 0)).toBe(1234);
    expect(new Set(enqueued.map((e) => e.batchKey))).toEqual(new Set(batches.map((b) => b.batch_key)));
    expect(enqueued).toHaveLength(batches.length);
    expect(batches.length).toBe(13);
  });

  it('adds nothing when planned again, or by two planners at once', async () => {
    await seedSubscribers(t.db, manySubscribers(450));
    const [a, b] = await Promise.all([planDay(deps(50), '2026-11-26'), planDay(deps(50), '2026-11-26')]);
    expect(a.editions['2026-11-26']!.planned + b.editions['2026-11-26']!.planned).toBe(450);
    const again = await planDay(deps(), '2026-11-26');
    expect(again.editions['2026-11-26']).toEqual({ due: 450, planned: 0 });
    const count = await t.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    expect(Number(count!.n)).toBe(450);
    const unbatched = await t.db
      .selectFrom('deliveries')
      .select('id')
      .where('batch_key', 'is', null)
      .execute();
    expect(unbatched).toHaveLength(0);
    expect(new Set(enqueued.map((e) => e.batchKey)).size).toBe(enqueued.length);
  });

  it('plans the manual run for everyone due that day whatever their hour, by frequency', async () => {
    await seedSubscribers(t.db, [
      { email: 'daily@example.com', preferences: { sendHour: 3, timezone: 'Asia/Tokyo' } },
      { email: 'weekdays@example.com', preferences: { frequency: 'weekdays' } },
      { email: 'weekly-fri@example.com', preferences: { frequency: 'weekly', weeklyDay: 5 } },
      { email: 'weekly-mon@example.com', preferences: { frequency: 'weekly', weeklyDay: 1 } },
    ]);
    expect((await planDay(deps(), '2026-11-26')).editions['2026-11-26']!.due).toBe(3);
    expect((await planDay(deps(), '2026-11-28')).editions['2026-11-28']!.due).toBe(1); // a Saturday list
  });
});
