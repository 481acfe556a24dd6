import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueuePlanDay } from '../../src/delivery/delivery-queues.js';
import { runEdition } from '../../src/delivery/run-edition.js';
import { QUEUE_NAMES } from '../../src/queues.js';
import { startScheduler } from '../../workers/scheduler.js';
import { startWorkers } from '../../workers/worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  backendFor,
  countsByAddress,
  waitForEdition,
  workerContext,
  workerEnv,
} from '../support/delivery-harness.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';
import { generatePapers } from '../support/generate.js';
import { deleteKeys, randomPrefix } from '../support/redis.js';
import { manySubscribers, seedPapers, seedSubscribers } from '../support/seed.js';

let t: TestDatabase;
let fake: FakeResend;
const prefix = randomPrefix();

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeResend();
  await seedPapers(t.db, generatePapers(20, { listedOn: '2026-11-25' }));
  await seedSubscribers(t.db, manySubscribers(350));
});
afterAll(async () => {
  await fake.close();
  await t.drop();
  await deleteKeys(prefix);
});

it('two schedulers and repeated manual triggers make one edition, one email each', async () => {
  const env = workerEnv(t, fake, prefix);
  const ctx = await workerContext(env);
  const a = backendFor(ctx);
  const b = backendFor(ctx);
  const schedulerA = startScheduler(a, ctx.logger);
  const schedulerB = startScheduler(b, ctx.logger);
  try {
    // Both fire for 07:00 UTC on Thursday 26th (edition 2026-11-25 for the default 07:00 UTC readers).
    const at = new Date('2026-11-26T07:00:01Z');
    await Promise.all([schedulerA.tick(at), schedulerB.tick(at), schedulerA.tick(at)]);
    const jobs = await a.queue(QUEUE_NAMES.editions).getJobs(['waiting', 'active', 'completed']);
    expect(jobs.map((j) => j.id)).toEqual(['plan-2026-11-26-h07']);

    // The manual trigger for the same edition, three times, while the hourly plan runs.
    await Promise.all([
      enqueuePlanDay(a, '2026-11-25'),
      enqueuePlanDay(b, '2026-11-25'),
      enqueuePlanDay(a, '2026-11-25'),
    ]);
    const workers = await startWorkers(ctx);
    try {
      await waitForEdition(t, '2026-11-25', { expected: 350 });
      const again = await Promise.all([
        runEdition(ctx, a, {
          date: '2026-11-25',
          pollMs: 100,
          startWorkers: async () => ({ stop: async () => {} }),
        }),
        runEdition(ctx, b, {
          date: '2026-11-25',
          pollMs: 100,
          startWorkers: async () => ({ stop: async () => {} }),
        }),
      ]);
      expect(again.map((r) => r.sentNow)).toEqual([0, 0]);
    } finally {
      await workers.close();
    }
  } finally {
    schedulerA.stop();
    schedulerB.stop();
    await a.close();
    await b.close();
    await ctx.close();
  }
  const editions = await t.db.selectFrom('editions').select('date').execute();
  expect(editions).toEqual([{ date: '2026-11-25' }]);
  const deliveries = await t.db.selectFrom('deliveries').select(['state']).execute();
  expect(deliveries).toHaveLength(350);
  const counts = countsByAddress(fake);
  expect(counts.size).toBe(350);
  expect([...counts.values()].every((c) => c === 1)).toBe(true);
}, 120_000);
