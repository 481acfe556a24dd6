import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { editionSummary } from '../../src/delivery/deliveries.repository.js';
import { enqueuePlanDay } from '../../src/delivery/delivery-queues.js';
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

/**
 * Invariants 1 and 2 under hard crashes: the worker process is killed with SIGKILL at random
 * moments while it plans and sends a 5,000-subscriber edition, and restarted each time.
 */

const D = '2026-11-26';
const N = 5000;
const KILLS = 10;
const workerFile = fileURLToPath(new URL('../../workers/worker.ts', import.meta.url));
let t: TestDatabase;
let fake: FakeResend;
const prefix = randomPrefix();
let child: ChildProcess | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeResend({ lean: true });
  await seedPapers(t.db, generatePapers(12, { listedOn: D }));
  // Plain-text digests keep rendering cheap: this test is about crashes, not templates.
  await seedSubscribers(t.db, manySubscribers(N, 0, { format: 'text', maxPapers: 5 }));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await fake.close();
  await t.drop();
  await deleteKeys(prefix);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Moves whenever a worker plans rows, claims a batch (attempts) or the fake accepts emails. */
async function progress(): Promise<number> {
  const row = await t.db
    .selectFrom('deliveries')
    .select([
      (eb) => eb.fn.countAll<string>().as('rows'),
      (eb) => eb.fn.sum<string>('attempts').as('attempts'),
    ])
    .executeTakeFirst();
  return Number(row?.rows ?? 0) + Number(row?.attempts ?? 0) + fake.emails.length;
}

it('survives 10 SIGKILLs mid-edition: every due subscriber gets exactly one email', async () => {
  const env = workerEnv(t, fake, prefix, { extra: { WORKER_CONCURRENCY: '4' } });
  const ctx = await workerContext(env);
  const backend = backendFor(ctx);
  const start = () =>
    spawn(process.execPath, ['--import', 'tsx', workerFile], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
  const kills: { atEmails: number; state: Record<string, number> }[] = [];
  const began = Date.now();
  try {
    await enqueuePlanDay(backend, D);
    for (let i = 0; i < KILLS; i++) {
      child = start();
      const victim = child;
      if (i % 2 === 1) {
        // The worst moment: the provider has just accepted a batch and the worker has not recorded it.
        await new Promise<void>((resolve) => {
          fake.configure({
            onAccept: () => {
              victim.kill('SIGKILL');
              resolve();
            },
          });
          victim.once('exit', () => resolve());
          // Once everything is sent there is nothing left to accept: kill it anyway.
          setTimeout(resolve, 10_000);
        });
        fake.configure({ onAccept: undefined });
      } else {
        // Anywhere else: once the new process is doing work, at a random moment shortly after
        // (within half a second: a worker sends the whole edition in a few seconds).
        const before = await progress();
        const deadline = Date.now() + 30_000;
        while ((await progress()) === before && Date.now() < deadline) await sleep(50);
        await sleep(Math.random() * 500);
      }
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      kills.push({ atEmails: fake.emails.length, state: (await editionSummary(t.db, D)).counts });
      console.log(
        `kill ${i + 1} at ${((Date.now() - began) / 1000).toFixed(1)} s: ${fake.emails.length} emails on the fake`,
      );
    }
    child = start();
    await waitForEdition(t, D, { expected: N, timeoutMs: 150_000 });
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
  } finally {
    await backend.close();
    await ctx.close();
  }
  // The kills did land mid-edition, not all after it was done.
  expect(kills.filter((k) => k.atEmails > 0 && k.atEmails < N).length).toBeGreaterThanOrEqual(5);
  const summary = await editionSummary(t.db, D);
  expect(summary.counts).toMatchObject({ sent: N, failed: 0, skipped: 0, planned: 0, sending: 0 });
  const counts = countsByAddress(fake);
  const twice = [...counts].filter(([, c]) => c > 1);
  expect(twice).toEqual([]);
  expect(counts.size).toBe(N);
}, 420_000);
