// `npm run bench -- pipeline [--subscribers N] [--papers P] [--rate R] [--rate-seconds S] [--concurrency C]
//   [--workers W] [--heap-mb M] [--cpu-prof DIR]`
// plan → rank → render → send to a local fake Resend, through BullMQ on Redis, workers in processes of their own.
// Part 1: no rate limit: emails/s, total time and peak RSS at 10k and at N subscribers.
// Part 2: the fake limited to R requests/s: throughput against the ideal R × 100 emails/s.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { editionSummary } from '../src/delivery/deliveries.repository.js';
import { enqueuePlanDay } from '../src/delivery/delivery-queues.js';
import type { QueueBackend } from '../src/delivery/queue-backend.js';
import { QUEUE_NAMES } from '../src/queues.js';
import { createTestDatabase } from '../test/support/database.js';
import { backendFor, waitForEdition, workerContext, workerEnv } from '../test/support/delivery-harness.js';
import { startFakeResend } from '../test/support/fake-resend.js';
import { generatePapers } from '../test/support/generate.js';
import { deleteKeys, randomPrefix } from '../test/support/redis.js';
import { seedPapers, seedSubscribers } from '../test/support/seed.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100000' },
    papers: { type: 'string', default: '300' },
    // SEND_RATE_PER_SECOND's default, which is Resend's.
    rate: { type: 'string', default: '2' },
    'rate-seconds': { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '4' },
    workers: { type: 'string', default: '2' },
    'heap-mb': { type: 'string', default: '256' },
    // Write each worker's V8 CPU profile into this folder (open them in Chrome's DevTools).
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(values.subscribers);
const P = Number(values.papers);
const R = Number(values.rate);
const RATE_SECONDS = Number(values['rate-seconds']);
const D = '2026-11-26';
const D_RATE = '2026-11-25';
const TOPICS = [
  'reinforcement learning',
  'diffusion models',
  'multi-agent',
  'speech recognition',
  'quantization',
  'protein design',
  'long context',
  'robot manipulation',
];

const mb = (bytes: number) => Math.round(bytes / 1048576);

/**
 * How fast this machine is right now, for reading the figures: the same work on a virtual machine
 * can take a quarter longer when its host is busy, in every process alike. Milliseconds for a JSON
 * round trip of a batch-sized body (100 emails of 30 KB), the best of ten.
 */
function hostCheck(): number {
  const html = `<p class="x">${'paper digest '.repeat(2300)}</p>`;
  const batch = Array.from({ length: 100 }, (_, i) => ({
    to: `reader${i}@example.com`,
    html: `${html}${i}`,
  }));
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    JSON.parse(JSON.stringify(batch));
    best = Math.min(best, performance.now() - start);
  }
  return Number(best.toFixed(1));
}

const workerFile = fileURLToPath(new URL('../workers/worker.ts', import.meta.url));

const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];

/**
 * Worker processes (one per core), as in production; the fake Resend stays in this process.
 * Answers once every one takes send jobs (its templates compiled), as in production, where workers
 * are up before the hour's edition is enqueued.
 */
async function startWorkerProcesses(
  env: Record<string, string>,
  backend: QueueBackend,
): Promise<{ children: ChildProcess[]; stop(): Promise<void> }> {
  const children = Array.from({ length: Number(values.workers) }, () =>
    spawn(
      process.execPath,
      [`--max-old-space-size=${values['heap-mb']}`, ...profile, '--import', 'tsx', workerFile],
      {
        env: { ...process.env, ...env },
        stdio: 'inherit',
      },
    ),
  );
  const deadline = Date.now() + 60_000;
  while ((await backend.queue(QUEUE_NAMES.sends).getWorkers()).length < children.length) {
    if (Date.now() > deadline) throw new Error('bench: worker processes not ready after 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    children,
    stop: async () => {
      await Promise.all(
        children.map((c) => {
          if (c.exitCode !== null) return Promise.resolve();
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          return exited;
        }),
      );
    },
  };
}

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number | undefined): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}
const maxPeak = (children: ChildProcess[]) => Math.max(...children.map((c) => peakRss(c.pid)));

/** CPU time (µs) used so far: the worker processes, this process (the fake Resend), PostgreSQL, Redis. */
function cpuSplit(children: ChildProcess[]): Record<'workers' | 'fake' | 'postgres' | 'redis', number> {
  const ticks = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, USER_HZ = 100
  };
  const workerPids = new Set(children.map((c) => String(c.pid)));
  const split = { workers: 0, fake: 0, postgres: 0, redis: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (workerPids.has(pid)) split.workers += ticks(stat);
    else if (name === 'postgres') split.postgres += ticks(stat);
    else if (name.startsWith('redis-server')) split.redis += ticks(stat);
  }
  const own = process.cpuUsage();
  split.fake = own.user + own.system;
  return split;
}

const t = await createTestDatabase({ max: 20 });
const fake = await startFakeResend({ lean: true });
// Part 2's fake reads bodies in a thread of its own, so a 4 MB batch being parsed never delays the
// moment the next request is seen to arrive, which its rate limit counts (as Resend's servers
// would). Part 1's reads them inline, which costs the machine less.
const limitedFake = await startFakeResend({ lean: true, threaded: true });
const prefix = randomPrefix();
try {
  console.log(
    `pipeline bench: ${N} subscribers × ${P} papers, Redis, worker concurrency ${values.concurrency}`,
  );
  let s = Date.now();
  await seedPapers(t.db, [
    ...generatePapers(P, { listedOn: D }),
    ...generatePapers(P, { listedOn: D_RATE, idPrefix: '2610', seed: 7 }),
  ]);
  await seedSubscribers(
    t.db,
    Array.from({ length: N }, (_, i) => ({
      email: `reader${i}@example.com`,
      preferences: {
        topics: [TOPICS[i % TOPICS.length]!, TOPICS[(i * 7 + 3) % TOPICS.length]!],
        template: i % 3 === 0 ? ('modern' as const) : ('classic' as const),
        format: i % 10 === 0 ? ('text' as const) : ('html' as const),
      },
    })),
  );
  console.log(`seeded in ${((Date.now() - s) / 1000).toFixed(1)} s`);

  const env = workerEnv(t, fake, prefix, {
    extra: {
      WORKER_CONCURRENCY: values.concurrency!,
      RESEND_TIMEOUT_SECONDS: '60',
      JOB_LOCK_SECONDS: '60',
      LOG_LEVEL: 'warn',
    },
  });
  const ctx = await workerContext(env);
  const backend = backendFor(ctx);
  let workers = await startWorkerProcesses(env, backend);

  // Part 1: no rate limit. Timed to the last email the fake accepted; the edition's summary (a
  // count over all its deliveries, which costs PostgreSQL more than a batch does) is read every
  // five seconds, or as soon as the fake has them all.
  const hostBefore = hostCheck();
  const cpuBefore = cpuSplit(workers.children);
  let lastAcceptAt = 0;
  fake.configure({
    onAccept: () => {
      lastAcceptAt = Date.now();
    },
  });
  s = Date.now();
  await enqueuePlanDay(backend, D);
  let rss10k = 0;
  let at10k = 0;
  let checkedAt = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    if (!at10k && fake.emails.length >= Math.min(10_000, N)) {
      at10k = Date.now() - s;
      rss10k = maxPeak(workers.children);
    }
    if (fake.emails.length < N && Date.now() - checkedAt < 5000) continue;
    checkedAt = Date.now();
    const c = (await editionSummary(t.db, D)).counts;
    if (c.planned + c.sending === 0 && c.sent + c.skipped + c.failed >= N) break;
  }
  const totalMs = lastAcceptAt - s;
  const hostAfter = hostCheck();
  const rssN = maxPeak(workers.children);
  const cpuAfter = cpuSplit(workers.children);
  const summary = await editionSummary(t.db, D);
  const emailsPerS = fake.emails.length / (totalMs / 1000);
  console.log(
    `no limit: ${fake.emails.length} emails (${summary.counts.skipped} skipped, ${summary.counts.failed} failed) in ${(totalMs / 1000).toFixed(1)} s = ${Math.round(emailsPerS)} emails/s`,
  );
  console.log(
    `  ${values.workers} worker processes (heap cap ${values['heap-mb']} MB); first ${Math.min(10_000, N)} in ${(at10k / 1000).toFixed(1)} s, ` +
      `peak RSS per worker ${mb(rss10k)} MB; all ${N}: ${mb(rssN)} MB`,
  );
  const perEmail = Object.fromEntries(
    Object.entries(cpuAfter).map(([k, v]) => [
      k,
      Math.round((v - cpuBefore[k as keyof typeof cpuBefore]) / N),
    ]),
  ) as Record<keyof typeof cpuAfter, number>;
  console.log(
    `  CPU per email: workers ${perEmail.workers} µs, fake Resend (this process) ${perEmail.fake} µs, ` +
      `PostgreSQL ${perEmail.postgres} µs, Redis ${perEmail.redis} µs`,
  );
  console.log(
    '  baseline: listmonk sends 100 emails/s by default; goal ≥ 2,000 emails/s, RSS ≤ 400 MB and flat',
  );
  console.log(
    `  host check (JSON round trip of a 3 MB batch, lower is faster): ${hostBefore} ms before, ${hostAfter} ms after`,
  );

  // Part 2: the fake limited to R requests per second, the workers limited to the same.
  await workers.stop();
  const rateN = R * 100 * RATE_SECONDS;
  await sql`update subscribers set status = 'unsubscribed' where id > (select id from subscribers order by id offset ${rateN - 1} limit 1)`.execute(
    t.db,
  );
  limitedFake.configure({ rateLimit: R });
  workers = await startWorkerProcesses(
    { ...env, RESEND_BASE_URL: limitedFake.url, SEND_RATE_PER_SECOND: String(R) },
    backend,
  );
  const before = limitedFake.emails.length;
  const arrivalsBefore = limitedFake.arrivals.length;
  const callsBefore = limitedFake.calls.reduce((n, c) => n + c.count, 0);
  const firstAt: number[] = [];
  limitedFake.configure({ onAccept: () => void firstAt.push(Date.now()) });
  await enqueuePlanDay(backend, D_RATE);
  await waitForEdition(t, D_RATE, { expected: rateN, timeoutMs: (RATE_SECONDS * 3 + 60) * 1000 });
  const rateSummary = await editionSummary(t.db, D_RATE);
  const sent = limitedFake.emails.length - before;
  const requests = firstAt.length;
  const spanS = (firstAt.at(-1)! - firstAt[0]!) / 1000;
  const ideal = (requests - 1) / R;
  const utilization = spanS > 0 ? ideal / spanS : 1;
  const limited = limitedFake.calls.filter((c) => c.status === 429).reduce((n, c) => n + c.count, 0);
  console.log(
    `limited to ${R} requests/s: ${sent} emails in ${requests} requests over ${spanS.toFixed(1)} s = ${Math.round(sent / spanS)} emails/s ` +
      `(ideal ${R * 100}); utilisation ${(utilization * 100).toFixed(1)}%, ${limited} × 429, ` +
      `${rateSummary.counts.failed} failed, ${limitedFake.calls.reduce((n, c) => n + c.count, 0) - callsBefore} calls`,
  );
  console.log('  goal: ≥ 95% of R × 100 emails/s with no failed delivery');
  const gaps = limitedFake.arrivals
    .slice(arrivalsBefore)
    .map((a, i, all) => `${i ? a.at - all[i - 1]!.at : 0}ms→${a.status}`);
  console.log(`  arrivals: ${gaps.join(' ')}`);
  await workers.stop();
  await backend.close();
  await ctx.close();
  console.log(
    JSON.stringify({
      bench: 'pipeline',
      subscribers: N,
      papers: P,
      emails_per_s: Math.round(emailsPerS),
      total_s: Number((totalMs / 1000).toFixed(1)),
      rss_mb_10k: mb(rss10k),
      rss_mb_100k: mb(rssN),
      cpu_us_per_email_workers: perEmail.workers,
      cpu_us_per_email_fake: perEmail.fake,
      cpu_us_per_email_postgres: perEmail.postgres,
      rate_limit_rps: R,
      rate_limit_emails_per_s: Math.round(sent / spanS),
      rate_limit_utilization: Number(utilization.toFixed(3)),
      failed: summary.counts.failed + rateSummary.counts.failed,
      host_check_ms: [hostBefore, hostAfter],
    }),
  );
} finally {
  await fake.close();
  await limitedFake.close();
  await t.drop();
  await deleteKeys(prefix);
}
