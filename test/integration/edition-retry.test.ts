import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryFailed } from '../../src/editions/edition-admin.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { manySubscribers, seedSubscribers } from '../support/seed.js';

let t: TestDatabase;
let ids: string[];
const enqueued: string[] = [];
const queueing = {
  async enqueuePlanned(date: string) {
    enqueued.push(date);
    return 1;
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  ids = await seedSubscribers(t.db, manySubscribers(4));
  await t.db.insertInto('editions').values({ date: '2026-11-26' }).execute();
  const rows = [
    // batch A went out in part: one row sent, one failed
    { subscriber_id: ids[0]!, batch_key: 'A', state: 'sent' as const },
    { subscriber_id: ids[1]!, batch_key: 'A', state: 'failed' as const, reason: 'no digest composed' },
    // batch B failed whole
    { subscriber_id: ids[2]!, batch_key: 'B', state: 'failed' as const, reason: 'provider: 500' },
    { subscriber_id: ids[3]!, batch_key: 'B', state: 'failed' as const, reason: 'provider: 500' },
  ];
  await t.db
    .insertInto('deliveries')
    .values(rows.map((r) => ({ ...r, edition_date: '2026-11-26' })))
    .execute();
});
afterAll(() => t.drop());

describe('retrying failed deliveries', () => {
  it('keeps the key of a batch that failed whole and gives the failures of a partly sent batch a new one', async () => {
    const result = await retryFailed(t.db, queueing, '2026-11-26');
    expect(result).toEqual({ reset: 3, jobs: 1 });
    expect(enqueued).toEqual(['2026-11-26']);
    const rows = await t.db
      .selectFrom('deliveries')
      .select(['subscriber_id', 'state', 'batch_key', 'reason'])
      .orderBy('subscriber_id')
      .execute();
    expect(rows.map((r) => r.state)).toEqual(['sent', 'planned', 'planned', 'planned']);
    expect(rows[0]!.batch_key).toBe('A');
    // A new key: the provider would refuse the old one with a different body, and the row would never go out.
    expect(rows[1]!.batch_key).toMatch(/^A-r\d+$/);
    expect(rows[2]!.batch_key).toBe('B');
    expect(rows[3]!.batch_key).toBe('B');
    expect(rows.slice(1).every((r) => r.reason === null)).toBe(true);
  });
});
