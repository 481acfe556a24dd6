// `npm run bench -- webhooks [--events 20000] [--concurrency 32] [--mix resend|<event type>]`
//
// Starts the real web server (in a child process, so the load generator does not share its event
// loop) on loopback against a fresh database on the machine's PostgreSQL, posts signed Resend
// events over keep-alive HTTP (32 requests in flight by default; more only queue up behind the
// database's batches and lengthen the tail), and prints events/s and latency. Baselines in the
// same run: the signature check alone, and the same server at concurrency 1. The load generator
// shares the machine's two cores with the server and PostgreSQL, so it is kept light: plain
// node:http, requests signed just before the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/database.js';
import { resendWebhookVerifier } from '../src/delivery/resend-webhook.js';
import { buildServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase } from '../test/support/database.js';
import { resendEvent, signWebhook, TEST_WEBHOOK_SECRET } from '../test/support/webhooks.js';

const self = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    serve: { type: 'string' },
    // 'resend' (the default): nine tracking events in ten, the rest bounces and delays; or one type only.
    mix: { type: 'string', default: 'resend' },
  },
});

/** The child: the same server `paperboy serve` builds, silent, on an ephemeral loopback port. */
async function serve(databaseUrl: string): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SIGNING_SECRET: 'bench-signing-secret-0123456789abcdef',
    RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    LOG_LEVEL: 'silent',
  });
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', SERVER_APP);
  const db = createDb(url.toString(), { max: 10 });
  const logger = createLogger('silent');
  const app = await buildServer({
    config,
    db,
    logger,
    database: { db, url: databaseUrl, embedded: false, close: () => db.destroy() },
    close: () => db.destroy(),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${address}\n`);
  // The parent asks for this process's CPU time around each phase.
  process.stdin.on('data', () => {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${user + system}\n`);
  });
  process.on('SIGTERM', () => void app.close().then(() => db.destroy().then(() => process.exit(0))));
}

async function bench(total: number, concurrency: number): Promise<void> {
  const t = await createTestDatabase();
  let child: ChildProcess | undefined;
  try {
    const resendIds = await seed(t.db, 2_000);
    child = spawn(process.execPath, [...process.execArgv, self, '--serve', t.url], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const server = child;
    const cpu = async () => {
      server.stdin!.write('cpu\n');
      const [answer] = (await once(server.stdout!, 'data')) as [Buffer];
      return { client: process.cpuUsage(), server: Number(answer.toString()), db: await backendCpuUs(t.db) };
    };
    const base = line.toString().trim();

    const baselineCount = Math.min(1_000, total);
    const baselineEvents = events(baselineCount, resendIds);
    const mainEvents = events(total, resendIds);

    // Signed as they are sent (outside the timed part): a run longer than Svix's five minutes of
    // tolerance would otherwise post stale signatures.
    const sample = mainEvents.slice(0, 2_000).map((body) => signWebhook(TEST_WEBHOOK_SECRET, body));
    const verify = resendWebhookVerifier(TEST_WEBHOOK_SECRET);
    const started = process.hrtime.bigint();
    for (const r of sample) verify(r.body, r.headers);
    const verifyUs = Number(process.hrtime.bigint() - started) / 1000 / sample.length;
    console.log(`baseline: signature check alone ${verifyUs.toFixed(1)} µs/event (in process)`);

    const c1 = await load(base, baselineEvents, 1);
    report(`baseline: ${baselineCount} events at concurrency 1`, c1);
    const before = await cpu();
    const main = await load(base, mainEvents, concurrency);
    const after = await cpu();
    report(`${total} events at concurrency ${concurrency}`, main);
    // CPU time per event, which the other processes on a shared machine do not inflate much:
    // what one event costs the web server, PostgreSQL's backends, and the load generator.
    const perEvent = {
      server: (after.server - before.server) / total,
      db: (after.db - before.db) / total,
      client: (after.client.user + after.client.system - before.client.user - before.client.system) / total,
    };
    const ceiling = 2e6 / (perEvent.server + perEvent.db);
    console.log(
      `CPU per event: server ${Math.round(perEvent.server)} µs, PostgreSQL ${Math.round(perEvent.db)} µs, ` +
        `load generator ${Math.round(perEvent.client)} µs; two free cores would serve ~${Math.round(ceiling)} events/s ` +
        `(load average now ${os.loadavg()[0]!.toFixed(1)})`,
    );

    const stored = await t.db
      .selectFrom('email_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const expected = total + baselineCount;
    console.log(`stored ${stored.n} of ${expected} events; non-200 answers: ${main.failures + c1.failures}`);
    console.log(
      JSON.stringify({
        bench: 'webhooks',
        events: total,
        concurrency,
        events_per_s: Math.round(main.perSecond),
        p50_ms: round(main.p50),
        p99_ms: round(main.p99),
        failures: main.failures,
        stored: Number(stored.n),
        baseline_c1_events_per_s: Math.round(c1.perSecond),
        baseline_c1_p50_ms: round(c1.p50),
        baseline_verify_us: round(verifyUs),
        cpu_us_per_event_server: Math.round(perEvent.server),
        cpu_us_per_event_db: Math.round(perEvent.db),
        load_average: round(os.loadavg()[0]!),
      }),
    );
  } finally {
    child?.kill('SIGTERM');
    if (child) await once(child, 'exit');
    await t.drop();
  }
}

const SERVER_APP = 'paperboy-bench-server';

/** CPU time (µs) used so far by the server's PostgreSQL backends, read from /proc. */
async function backendCpuUs(db: ReturnType<typeof createDb>): Promise<number> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where application_name = ${SERVER_APP}`.execute(db);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // A backend that ended between the query and the read.
    }
  }
  return (ticks * 1e6) / CLOCK_TICKS;
}

/** Linux's USER_HZ: 100 on every common build. */
const CLOCK_TICKS = 100;

/** Subscribers with a sent delivery each, so events find their delivery as in production. */
async function seed(db: ReturnType<typeof createDb>, count: number): Promise<string[]> {
  await db.insertInto('editions').values({ date: '2026-11-27' }).execute();
  const subscribers = await db
    .insertInto('subscribers')
    .values(
      Array.from({ length: count }, (_, i) => ({
        email: `reader${i}@example.org`,
        status: 'active' as const,
        preferences: {},
      })),
    )
    .returning('id')
    .execute();
  const deliveries = await db
    .insertInto('deliveries')
    .values(
      subscribers.map((s) => ({
        edition_date: '2026-11-27',
        subscriber_id: s.id,
        state: 'sent' as const,
        resend_id: randomUUID(),
      })),
    )
    .returning('resend_id')
    .execute();
  return deliveries.map((d) => d.resend_id!);
}

const MIX: string[] = [
  ...Array(45).fill('email.delivered'),
  ...Array(35).fill('email.opened'),
  ...Array(10).fill('email.clicked'),
  ...Array(5).fill('email.bounced'),
  ...Array(5).fill('email.delivery_delayed'),
];

/** Event bodies (JSON text) for random deliveries, in the mix above. */
function events(count: number, resendIds: string[]): string[] {
  return Array.from({ length: count }, (_, i) => {
    const k = Math.floor(Math.random() * resendIds.length);
    const type = values.mix === 'resend' ? MIX[i % MIX.length]! : values.mix!;
    return JSON.stringify(
      resendEvent(type, {
        emailId: resendIds[k],
        to: `reader${k}@example.org`,
        data:
          type === 'email.bounced'
            ? { bounce: { type: 'Permanent', subType: 'General', message: '550 5.1.1' } }
            : {},
      }),
    );
  });
}

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

async function load(base: string, bodies: string[], concurrency: number): Promise<LoadResult> {
  // Signed just before the run (a run is far shorter than Svix's five minutes of tolerance), so the
  // load generator spends its share of the two cores on sending, not on HMACs.
  const requests = bodies.map((body) => signWebhook(TEST_WEBHOOK_SECRET, body));
  const url = new URL('/webhooks/resend', base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  let next = 0;
  let failures = 0;
  const post = (r: (typeof requests)[number]) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: r.headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const t0 = performance.now();
      const status = await post(requests[i]!);
      latencies[i] = performance.now() - t0;
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.slice().sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { perSecond: requests.length / seconds, p50: at(0.5), p99: at(0.99), failures };
}

function report(label: string, r: LoadResult): void {
  console.log(
    `${label}: ${Math.round(r.perSecond)} events/s, p50 ${round(r.p50)} ms, p99 ${round(r.p99)} ms` +
      (r.failures ? `, ${r.failures} failed` : ''),
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (values.serve) {
  await serve(values.serve);
} else {
  await bench(Number(values.events), Number(values.concurrency));
}
