import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignBatches,
  claimBatch,
  ensureEdition,
  insertPlannedBatches,
  markEnded,
  markSent,
} from '../../src/delivery/deliveries.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedSubscribers } from '../support/seed.js';

describe('delivery rows', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('inserts each batch under a key of its own; rows already planned stay in theirs', async () => {
    const date = '2026-11-27';
    const ids = await seedSubscribers(
      t.db,
      Array.from({ length: 250 }, (_, i) => ({ email: `batch${i}@example.com` })),
    );
    await ensureEdition(t.db, date);
    await expect(insertPlannedBatches(t.db, date, [ids.slice(0, 101)])).rejects.toThrow(/at most 100/);
    // Two batches in one statement, answered in the order given.
    const [first, second, ...none] = await insertPlannedBatches(t.db, date, [
      ids.slice(0, 100),
      ids.slice(100, 150),
    ]);
    expect(none).toEqual([]);
    expect(first).toEqual({ batchKey: expect.stringMatching(/^2026-11-27-\d+$/), inserted: 100 });
    expect(second).toEqual({ batchKey: expect.stringMatching(/^2026-11-27-\d+$/), inserted: 50 });
    expect(second!.batchKey).not.toBe(first!.batchKey);
    // Overlapping what is planned: only the new rows, in a new batch; a batch with none is left out.
    const third = await insertPlannedBatches(t.db, date, [ids.slice(0, 100), ids.slice(120, 220)]);
    expect(third).toEqual([{ batchKey: expect.stringMatching(/^2026-11-27-\d+$/), inserted: 70 }]);
    expect([first!.batchKey, second!.batchKey]).not.toContain(third[0]!.batchKey);
    expect(await insertPlannedBatches(t.db, date, [ids.slice(0, 100)])).toEqual([]);
    const batches = await t.db
      .selectFrom('deliveries')
      .select(['batch_key', 'state', (eb) => eb.fn.countAll<string>().as('n')])
      .where('edition_date', '=', date)
      .groupBy(['batch_key', 'state'])
      .orderBy('n', 'desc')
      .execute();
    expect(batches).toEqual([
      { batch_key: first!.batchKey, state: 'planned', n: '100' },
      { batch_key: third[0]!.batchKey, state: 'planned', n: '70' },
      { batch_key: second!.batchKey, state: 'planned', n: '50' },
    ]);
    // Rows a planner before batch keys came with the rows left unbatched still get batches.
    await t.db
      .updateTable('deliveries')
      .set({ batch_key: null })
      .where('batch_key', '=', second!.batchKey)
      .execute();
    const keys = await assignBatches(t.db, date);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(second!.batchKey);
  });

  it('stores what a batch sent and why the others ended, whatever characters the values hold', async () => {
    const date = '2026-11-26';
    const subscribers = await seedSubscribers(
      t.db,
      Array.from({ length: 5 }, (_, i) => ({ email: `row${i}@example.com` })),
    );
    await ensureEdition(t.db, date);
    const key = (await insertPlannedBatches(t.db, date, [subscribers]))[0]?.batchKey;
    const ids = [...(await claimBatch(t.db, key!))].sort((a, b) => Number(a) - Number(b));
    expect(ids).toHaveLength(5);
    // Array elements with quotes, backslashes, braces, commas, the word NULL, wider characters.
    const awkward = 'A "quoted" {brace}, back\\slash, NULL, caf\u00E9 \u{1F680}';
    await markSent(t.db, [
      {
        id: ids[0]!,
        resendId: 're-1',
        subject: awkward,
        paperIds: ['2611.00001', 'x"y'],
        template: 'classic',
      },
      { id: ids[1]!, resendId: null, subject: 'NULL', paperIds: [], template: 'modern' },
    ]);
    await markEnded(t.db, [
      { id: ids[2]!, state: 'skipped', reason: awkward },
      { id: ids[3]!, state: 'failed', reason: 'rejected: "to" is invalid' },
    ]);
    // A row already ended is not changed again.
    await markSent(t.db, [
      { id: ids[2]!, resendId: 're-x', subject: 's', paperIds: [], template: 'classic' },
    ]);

    const rows = await t.db
      .selectFrom('deliveries')
      .select(['id', 'state', 'resend_id', 'subject', 'paper_ids', 'template', 'reason'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
      {
        state: 'sent',
        resend_id: 're-1',
        subject: awkward,
        paper_ids: ['2611.00001', 'x"y'],
        template: 'classic',
        reason: null,
      },
      { state: 'sent', resend_id: null, subject: 'NULL', paper_ids: [], template: 'modern', reason: null },
      { state: 'skipped', resend_id: null, subject: null, paper_ids: null, template: null, reason: awkward },
      {
        state: 'failed',
        resend_id: null,
        subject: null,
        paper_ids: null,
        template: null,
        reason: 'rejected: "to" is invalid',
      },
      { state: 'sending', resend_id: null, subject: null, paper_ids: null, template: null, reason: null },
    ]);
  });
});
