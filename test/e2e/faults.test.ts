import { afterAll, beforeAll, expect, it } from 'vitest';
import { editionSummary } from '../../src/delivery/deliveries.repository.js';
import { enqueuePlanDay } from '../../src/delivery/delivery-queues.js';
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

const D = '2026-11-26';
const N = 2000;
let t: TestDatabase;
let fake: FakeResend;
const prefix = randomPrefix();

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeResend({ hangMs: 6000 });
  await seedPapers(t.db, generatePapers(20, { listedOn: D }));
  await seedSubscribers(t.db, manySubscribers(N));
});
afterAll(async () => {
  await fake.close();
  await t.drop();
  await deleteKeys(prefix);
});

it('delivers everything exactly once while 20% of calls fail (500, 429, timeout after accepting)', async () => {
  fake.configure({ faultRate: 0.2, faultKinds: ['500', '429', 'timeout-after-accept'] });
  const ctx = await workerContext(workerEnv(t, fake, prefix));
  const workers = await startWorkers(ctx);
  const backend = backendFor(ctx);
  try {
    await enqueuePlanDay(backend, D);
    await waitForEdition(t, D, { expected: N, timeoutMs: 150_000 }).catch(async (e) => {
      const q = backend.queue('sends');
      console.log(await q.getJobCounts());
      for (const j of await q.getJobs(['active', 'waiting', 'delayed', 'failed'])) {
        console.log(j.id, await j.getState(), j.attemptsMade, j.failedReason, j.stalledCounter);
      }
      throw e;
    });
  } finally {
    await workers.close();
    await backend.close();
    await ctx.close();
  }
  const summary = await editionSummary(t.db, D);
  expect(summary.counts).toMatchObject({ sent: N, failed: 0, skipped: 0 });
  const counts = countsByAddress(fake);
  expect(counts.size).toBe(N);
  expect([...counts.values()].every((c) => c === 1)).toBe(true);
  const faults = fake.calls.filter((c) => c.status !== 200).reduce((n, c) => n + c.count, 0);
  expect(faults).toBeGreaterThan(0);
}, 180_000);
