import { afterAll, beforeAll, expect, it } from 'vitest';
import { reserveSendSlot } from '../../src/delivery/send-pacer.js';
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
    // 105 ms apart: 10 per second with 5% spare.
    expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(104.9);
  }
  expect(slots.at(-1)! - slots[0]!).toBeGreaterThan(480);
  expect((await reserveSendSlot(t.db, 0)).waitMs).toBe(0);
});
