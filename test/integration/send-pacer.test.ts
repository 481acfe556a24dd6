import { afterAll, beforeAll, expect, it } from 'vitest';
import { reserveSendSlot } from '../../src/delivery/send-pacer.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

it('hands out evenly spaced slots to concurrent callers, and none when unlimited', async () => {
  const waits = (await Promise.all(Array.from({ length: 6 }, () => reserveSendSlot(t.db, 10)))).sort(
    (a, b) => a - b,
  );
  expect(waits[0]).toBeLessThan(20);
  for (let i = 1; i < waits.length; i++) {
    // 103 ms apart (10/s with 3% spare), give or take the time the statements took.
    expect(waits[i]! - waits[i - 1]!).toBeGreaterThan(60);
    expect(waits[i]! - waits[i - 1]!).toBeLessThan(150);
  }
  expect(waits.at(-1)).toBeGreaterThan(400);
  expect(await reserveSendSlot(t.db, 0)).toBe(0);
});
