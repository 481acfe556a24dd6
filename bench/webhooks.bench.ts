// `npm run bench -- webhooks [--events 20000] [--concurrency 50]`
//
// Starts the real web server (in a child process, so the load generator does not share its event
// loop) on loopback against a fresh database on the machine's PostgreSQL, posts signed Resend
// events over keep-alive HTTP, and prints events/s and latency. Baselines in the same run: the
// signature check alone, and the same server at concurrency 1.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/database.js';
import { resendWebhookVerifier } from '../src/delivery/resend-webhook.js';
import { buildServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase } from '../test/support/database.js';
import {
  resendEvent,
  type SignedRequest,
  signWebhook,
  TEST_WEBHOOK_SECRET,
} from '../test/support/webhooks.js';

const self = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '50' },
    serve: { type: 'string' },
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
  const db = createDb(databaseUrl, { max: 10 });
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
  process.on('SIGTERM', () => void app.close().then(() => db.destroy().then(() => process.exit(0))));
}

async function bench(total: number, concurrency: number): Promise<void> {
  const t = await createTestDatabase();
  let child: ChildProcess | undefined;
  try {
    const resendIds = await seed(t.db, 2_000);
    child = spawn(process.execPath, [...process.execArgv, self, '--serve', t.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const base = line.toString().trim();

    const baselineCount = Math.min(2_000, total);
    console.log(`signing ${total + baselineCount} events…`);
    const baselineEvents = events(baselineCount, resendIds);
    const mainEvents = events(total, resendIds);

    const verify = resendWebhookVerifier(TEST_WEBHOOK_SECRET);
    const started = process.hrtime.bigint();
    for (const r of mainEvents) verify(r.body, r.headers);
    const verifyUs = Number(process.hrtime.bigint() - started) / 1000 / mainEvents.length;
    console.log(`baseline: signature check alone ${verifyUs.toFixed(1)} µs/event (in process)`);

    const c1 = await load(base, baselineEvents, 1);
    report(`baseline: ${baselineCount} events at concurrency 1`, c1);
    const main = await load(base, mainEvents, concurrency);
    report(`${total} events at concurrency ${concurrency}`, main);

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
      }),
    );
  } finally {
    child?.kill('SIGTERM');
    if (child) await once(child, 'exit');
    await t.drop();
  }
}

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

function events(count: number, resendIds: string[]): SignedRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const k = Math.floor(Math.random() * resendIds.length);
    const type = MIX[i % MIX.length]!;
    return signWebhook(
      TEST_WEBHOOK_SECRET,
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

async function load(base: string, requests: SignedRequest[], concurrency: number): Promise<LoadResult> {
  const latencies = new Float64Array(requests.length);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i]!;
      const t0 = performance.now();
      const response = await fetch(`${base}/webhooks/resend`, {
        method: 'POST',
        headers: r.headers,
        body: r.body,
      });
      await response.arrayBuffer();
      latencies[i] = performance.now() - t0;
      if (response.status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
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
