import { afterAll, beforeAll, expect, it } from 'vitest';
import { clearSendWindow, recordDeparture, reserveSendSlot } from '../../src/delivery/send-pacer.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

it('hands out evenly spaced slots to concurrent callers, and none when unlimited', async () => {
  const slots = (await Promise.all(Array.from({ length: 6 }, () => reserveSendSlot(t.db, 10))))
    .map((r) => r.slotAt)
    .sort((a, b) => a - b);
  for (let i = 1; i < slots.length; i++) {
    // 100 ms apart: 10 per second.
    expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(99.9);
  }
  expect(slots.at(-1)! - slots[0]!).toBeGreaterThan(480);
  expect((await reserveSendSlot(t.db, 0)).waitMs).toBe(0);
});

it('spaces calls evenly from when they went, whoever calls, and never more than `rate` in a second', async () => {
  const name = 'window-test';
  await reserveSendSlot(t.db, 3, name);
  // Six callers at once: the first goes now, the others ~343 ms apart (1030 / 3).
  const waits = await Promise.all(Array.from({ length: 6 }, () => clearSendWindow(t.db, 3, name)));
  const sorted = waits.map((w) => w.waitMs).sort((a, b) => a - b);
  expect(sorted[0]).toBeLessThan(50);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThan(300);
    expect(sorted[i]! - sorted[i - 1]!).toBeLessThan(400);
  }
  const row = await t.db
    .selectFrom('send_pacing')
    .select('calls')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  expect(row.calls).toHaveLength(3);
  expect(await clearSendWindow(t.db, 0, name)).toEqual({ waitMs: 0 });
});

it('holds back the calls after a late one, so they do not share its second', async () => {
  const name = 'late-test';
  await reserveSendSlot(t.db, 2, name);
  // A call that went 300 ms later than planned: the next ones count from it.
  await clearSendWindow(t.db, 2, name);
  await new Promise((r) => setTimeout(r, 300));
  await clearSendWindow(t.db, 2, name);
  const { waitMs: third } = await clearSendWindow(t.db, 2, name);
  // 1030 ms after the first call, which went ~300 ms before the second: ~730 ms from now.
  expect(third).toBeGreaterThan(650);
  expect(third).toBeLessThan(800);
});

it('reckons the next calls from when a call actually left, when it left late', async () => {
  const name = 'departure-test';
  await reserveSendSlot(t.db, 2, name);
  const { turn } = await clearSendWindow(t.db, 2, name);
  // Its request left 400 ms after it was let go: the next call goes 515 ms after that, not after
  // the turn (~915 ms from now instead of ~515).
  await recordDeparture(t.db, turn!, turn!.dueAt + 400);
  const { waitMs } = await clearSendWindow(t.db, 2, name);
  expect(waitMs).toBeGreaterThan(850);
  expect(waitMs).toBeLessThan(950);
  const { calls } = await t.db
    .selectFrom('send_pacing')
    .select('calls')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  expect(calls).toHaveLength(2);
  expect(new Date(calls[1]!).getTime() - new Date(calls[0]!).getTime()).toBeCloseTo(515, -1);
});
