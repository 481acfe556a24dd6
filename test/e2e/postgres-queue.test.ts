import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runEdition } from '../../src/delivery/run-edition.js';
import { startWorkers } from '../../workers/worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { backendFor, countsByAddress, workerContext, workerEnv } from '../support/delivery-harness.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';
import { generatePapers } from '../support/generate.js';
import { randomPrefix } from '../support/redis.js';
import { manySubscribers, seedPapers, seedSubscribers } from '../support/seed.js';

/** The demo's route: no Redis at all, BullMQ's PostgreSQL backend on paperboy's own database. */

let t: TestDatabase;
let fake: FakeResend;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeResend();
  await seedPapers(t.db, generatePapers(15, { listedOn: '2026-11-26' }));
  await seedSubscribers(t.db, manySubscribers(230));
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});

it('plans and sends an edition through BullMQ on PostgreSQL, once, and again sends nothing', async () => {
  const env = workerEnv(t, fake, randomPrefix().replace('pbtest-', 'pbtest_'), { redis: false });
  const ctx = await workerContext(env);
  expect(ctx.config.redisUrl).toBeUndefined();
  const backend = backendFor(ctx);
  expect(backend.kind).toBe('postgres');
  let started = 0;
  const startInProcess = async () => {
    started++;
    const workers = await startWorkers(ctx);
    return { stop: () => workers.close() };
  };
  try {
    const first = await runEdition(ctx, backend, {
      date: '2026-11-26',
      pollMs: 200,
      startWorkers: startInProcess,
    });
    expect(first.sentNow).toBe(230);
    expect(first.summary.counts).toMatchObject({ sent: 230, planned: 0, sending: 0, failed: 0 });
    const second = await runEdition(ctx, backend, {
      date: '2026-11-26',
      pollMs: 200,
      startWorkers: startInProcess,
    });
    expect(second.sentNow).toBe(0);
  } finally {
    await backend.close();
    await ctx.close();
  }
  expect(started).toBe(2);
  const counts = countsByAddress(fake);
  expect(counts.size).toBe(230);
  expect([...counts.values()].every((c) => c === 1)).toBe(true);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.schemata where schema_name like 'bullmq_%'`.execute(
    t.db,
  );
  expect(rows[0]?.n).toBe(1);
}, 120_000);
