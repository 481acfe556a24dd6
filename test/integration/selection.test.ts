import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEditionContext,
  loadEditionPapers,
  selectForSubscriber,
  selectForSubscribers,
} from '../../src/editions/selection.service.js';
import type { Paper } from '../../src/papers/paper.js';
import { preferencesSchema } from '../../src/subscribers/preferences.js';
import { createSubscriber, recordFeedback } from '../../src/subscribers/subscribers.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { generatePapers } from '../support/generate.js';
import { seedPapers } from '../support/seed.js';

let t: TestDatabase;

const today = generatePapers(40, { seed: 1, listedOn: '2026-11-27', idPrefix: '2611' });
const earlier = generatePapers(40, { seed: 2, listedOn: '2026-11-24', idPrefix: '2610' });

beforeAll(async () => {
  t = await createTestDatabase();
  await seedPapers(t.db, [...today, ...earlier]);
  await t.db
    .insertInto('editions')
    .values([{ date: '2026-11-24' }, { date: '2026-11-27' }])
    .execute();
});
afterAll(() => t.drop());

describe('selection service on PostgreSQL', () => {
  it('loads one day for daily digests and seven for weekly ones', async () => {
    expect(await loadEditionPapers(t.db, '2026-11-27', 'daily')).toHaveLength(40);
    expect(await loadEditionPapers(t.db, '2026-11-27', 'weekly')).toHaveLength(80);
    expect(await loadEditionPapers(t.db, '2026-11-28', 'daily')).toHaveLength(0);
    const ctx = createEditionContext('2026-11-27');
    const daily = await ctx.index(t.db, 'daily');
    expect(await ctx.index(t.db, 'weekdays')).toBe(daily); // built once, shared
    expect((await ctx.index(t.db, 'weekly')).size).toBe(80);
  });

  it('leaves out papers sent in an earlier digest and learns from feedback, for many subscribers at once', async () => {
    const prefs = preferencesSchema.parse({ frequency: 'weekly', maxPapers: 50 });
    const a = await createSubscriber(t.db, { email: 'a@example.org', status: 'active', preferences: prefs });
    const b = await createSubscriber(t.db, { email: 'b@example.org', status: 'active', preferences: prefs });
    const sentIds = earlier.slice(0, 30).map((p) => p.id);
    await t.db
      .insertInto('deliveries')
      .values([
        {
          edition_date: '2026-11-24',
          subscriber_id: a.id,
          state: 'sent',
          paper_ids: JSON.stringify(sentIds),
        },
        {
          edition_date: '2026-11-24',
          subscriber_id: b.id,
          state: 'failed',
          paper_ids: JSON.stringify(sentIds),
        },
      ])
      .execute();
    const liked = earlier[0] as Paper;
    await recordFeedback(t.db, a.id, liked.id, -1);
    await recordFeedback(t.db, a.id, liked.id, 1); // the later vote wins

    const ctx = createEditionContext('2026-11-27');
    const result = await selectForSubscribers(t.db, ctx, [a, b]);
    const forA = result.get(a.id)?.papers.map((r) => r.paper.id) ?? [];
    const forB = result.get(b.id)?.papers.map((r) => r.paper.id) ?? [];
    expect(forA).toHaveLength(50);
    expect(forA.some((id) => sentIds.includes(id))).toBe(false);
    expect(forB.filter((id) => sentIds.includes(id)).length).toBeGreaterThan(0); // a failed delivery was not sent
    expect(result.get(a.id)?.papers.some((r) => r.why.includes('like papers you liked'))).toBe(true);
    expect(await t.db.selectFrom('feedback').select('value').execute()).toEqual([{ value: 1 }]);
  });

  it('says why a selection is empty', async () => {
    const s = await createSubscriber(t.db, { email: 'c@example.org', status: 'active', preferences: {} });
    const selection = await selectForSubscriber(t.db, createEditionContext('2026-11-28'), s);
    expect(selection).toEqual({ papers: [], emptyReason: 'no papers listed on 2026-11-28' });
  });
});
