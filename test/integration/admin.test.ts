import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQueueBackend, queueBackendOptions } from '../../src/delivery/queue-backend.js';
import { buildServer } from '../../src/http/server.js';
import { insertPapers } from '../support/admin-seed.js';
import { testContext } from '../support/app-context.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { generatePapers } from '../support/generate.js';
import { RecordingTransport } from '../support/recording-transport.js';
import { deleteKeys, randomPrefix, TEST_REDIS_URL } from '../support/redis.js';

// Wraps timingSafeEqual so the test can see the token check goes through it.
const compare = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compare.calls++;
      return real.timingSafeEqual(a, b);
    },
  };
});

const TOKEN = 'admin-token-0123456789abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

let database: TestDatabase;
let app: FastifyInstance;
let ctx: ReturnType<typeof testContext>;
const transport = new RecordingTransport();
const prefix = randomPrefix();
const queueConfig = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix };

async function seed() {
  const db = database.db;
  const papers = generatePapers(30, { listedOn: '2026-11-27', seed: 3 });
  papers[0]!.title = 'Multi-agent <script>alert(1)</script> reinforcement learning';
  papers[0]!.upvotes = 5000;
  await insertPapers(db, papers);
  await db
    .insertInto('editions')
    .values([{ date: '2026-11-26' }, { date: '2026-11-27' }])
    .execute();
  const subscribers = await db
    .insertInto('subscribers')
    .values(
      Array.from({ length: 8 }, (_, i) => ({
        email: `reader${i}@example.org`,
        status: 'active' as const,
        preferences: {},
      })),
    )
    .returning('id')
    .execute();
  const id = (i: number) => subscribers[i]!.id;
  const now = new Date();
  await db
    .insertInto('deliveries')
    .values([
      { edition_date: '2026-11-27', subscriber_id: id(0), state: 'sent', sent_at: now, opened_at: now },
      { edition_date: '2026-11-27', subscriber_id: id(1), state: 'sent', sent_at: now, bounced_at: now },
      { edition_date: '2026-11-27', subscriber_id: id(2), state: 'sent', sent_at: now, complained_at: now },
      {
        edition_date: '2026-11-27',
        subscriber_id: id(3),
        state: 'failed',
        reason: 'resend 422: invalid to <b>',
      },
      { edition_date: '2026-11-27', subscriber_id: id(4), state: 'failed', reason: 'timeout' },
      { edition_date: '2026-11-27', subscriber_id: id(5), state: 'skipped', reason: 'suppressed' },
      { edition_date: '2026-11-27', subscriber_id: id(6), state: 'skipped', reason: 'nothing new' },
      { edition_date: '2026-11-27', subscriber_id: id(7), state: 'planned' },
      { edition_date: '2026-11-26', subscriber_id: id(0), state: 'sent', sent_at: now },
    ])
    .execute();
}

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = testContext(testConfig({ ADMIN_TOKEN: TOKEN, ...queueConfig }), database.db, database.url);
  app = await buildServer(ctx, { transport });
  await seed();
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
  await deleteKeys(prefix);
});

const flash = (location: unknown) => new URL(String(location), 'http://x').searchParams.get('flash');

async function signIn(name = 'Ada'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/admin/sign-in', payload: { name, token: TOKEN } });
  expect(res.statusCode).toBe(303);
  const cookie = String(res.headers['set-cookie']);
  return cookie.split(';')[0]!;
}

describe('admin console turned off', () => {
  it('answers 404 everywhere under /admin and on /metrics, and the log says why', async () => {
    const offDb = await createTestDatabase();
    try {
      const offCtx = testContext(testConfig(queueConfig), offDb.db, offDb.url);
      const off = await buildServer(offCtx, { transport });
      for (const url of ['/admin', '/admin/editions', '/admin/queues', '/metrics']) {
        const res = await off.inject({ url, headers: bearer });
        expect(res.statusCode, url).toBe(404);
      }
      expect(offCtx.lines.some((l) => /console is off/.test(l.msg) && l.level === 40)).toBe(true);
      await off.close();
    } finally {
      await offDb.drop();
    }
  });
});

describe('admin authentication', () => {
  it('sends browsers to the sign-in form and asks others for credentials', async () => {
    const browser = await app.inject({ url: '/admin/editions?page=2', headers: { accept: 'text/html' } });
    expect(browser.statusCode).toBe(303);
    expect(browser.headers.location).toBe('/admin/sign-in?next=%2Fadmin%2Feditions%3Fpage%3D2');
    const form = await app.inject({ url: browser.headers.location as string });
    expect(form.body).toContain('action="/admin/sign-in"');
    expect(form.body).toContain('value="/admin/editions?page=2"');
    const script = await app.inject({ url: '/admin/editions' });
    expect(script.statusCode).toBe(401);
    expect(script.headers['www-authenticate']).toMatch(/^Basic realm="paperboy admin"/);
    const prompt = await app.inject({ url: '/admin/basic', headers: { accept: 'text/html' } });
    expect(prompt.statusCode).toBe(401);
    expect(prompt.headers['www-authenticate']).toMatch(/^Basic/);
    const afterPrompt = await app.inject({ url: '/admin/basic', headers: basic('ada', TOKEN) });
    expect(afterPrompt.headers.location).toBe('/admin');
  });

  it('refuses a wrong bearer token, a wrong basic password and a token of another length', async () => {
    for (const headers of [
      { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      { authorization: 'Bearer short' },
      basic('ada', 'wrong-token-0123456789abcdef'),
      basic(TOKEN, ''),
    ]) {
      expect((await app.inject({ url: '/admin/editions', headers })).statusCode).toBe(401);
    }
  });

  it('accepts the bearer token and basic auth with any user, comparing in constant time', async () => {
    compare.calls = 0;
    expect((await app.inject({ url: '/admin/editions', headers: bearer })).statusCode).toBe(200);
    expect(compare.calls).toBeGreaterThan(0);
    const res = await app.inject({ url: '/admin/editions', headers: basic('grace', TOKEN) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('signed in as grace');
  });

  it('signs in with the form: HttpOnly SameSite=Strict cookie that works, wrong token refused', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/admin/sign-in', payload: { token: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const res = await app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      payload: { name: 'Ada', token: TOKEN, next: '/admin/editions/2026-11-27' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/editions/2026-11-27');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    const page = await app.inject({ url: '/admin/editions', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('signed in as Ada');

    const tampered = cookie.replace(/\.[^.]+$/, '.AAAA');
    expect((await app.inject({ url: '/admin/editions', headers: { cookie: tampered } })).statusCode).toBe(
      401,
    );
  });

  it('never redirects off-site after signing in', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/admin/sign-in',
      payload: { token: TOKEN, next: '//evil.example/admin' },
    });
    expect(res.headers.location).toBe('/admin');
  });

  it('sends security headers with a CSP that forbids scripts', async () => {
    const res = await app.inject({ url: '/admin/editions', headers: bearer });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('editions', () => {
  it('lists editions with counts from the deliveries', async () => {
    const res = await app.inject({ url: '/admin/editions', headers: bearer });
    const row = res.body.split('<tr>').find((r) => r.includes('2026-11-27'))!;
    const cells = [...row.matchAll(/<td class="num[^"]*">(.*?)<\/td>/g)].map((m) => m[1]);
    // deliveries, planned, sent, failed, skipped, bounced, complained, opened
    expect(cells).toEqual(['8', '1', '3', '2', '2', '1', '1', '1']);
    expect(row).toContain('suppressed (1)');
    expect(row).toContain('nothing new (1)');
  });

  it("shows an edition's deliveries, failures first, with reasons escaped, paged", async () => {
    const res = await app.inject({ url: '/admin/editions/2026-11-27', headers: bearer });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('resend 422: invalid to &lt;b&gt;');
    expect(res.body.indexOf('timeout')).toBeLessThan(res.body.indexOf('reader0@example.org'));
    const failedOnly = await app.inject({ url: '/admin/editions/2026-11-27?state=failed', headers: bearer });
    expect(failedOnly.body).toContain('2 deliveries');
    expect(failedOnly.body).not.toContain('reader0@example.org');
    expect((await app.inject({ url: '/admin/editions/2031-01-01', headers: bearer })).statusCode).toBe(404);
    const missing = await app.inject({
      method: 'POST',
      url: '/admin/editions/2031-01-01/pause',
      headers: bearer,
    });
    expect(missing.headers.location).toMatch(/^\/admin\/editions\?flash=There%20is%20no%20edition/);
  });

  it('refuses a form POST without the CSRF token and one from another site', async () => {
    const cookie = await signIn();
    const noToken = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/pause',
      headers: { cookie },
      payload: {},
    });
    expect(noToken.statusCode).toBe(403);
    const page = await app.inject({ url: '/admin/editions/2026-11-27', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const crossSite = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/pause',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { _csrf: csrf },
    });
    expect(crossSite.statusCode).toBe(403);
    const badOrigin = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/pause',
      headers: { cookie, origin: 'not a url' },
      payload: { _csrf: csrf },
    });
    expect(badOrigin.statusCode).toBe(403);
    // The public address is ours even when a proxy hands the request on under another Host.
    const viaProxy = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/resume',
      headers: { cookie, origin: 'http://paperboy.test', host: 'backend:3000' },
      payload: { _csrf: csrf },
    });
    expect(viaProxy.statusCode).toBe(303);
    const status = await database.db
      .selectFrom('editions')
      .select('status')
      .where('date', '=', '2026-11-27')
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('open');
  });

  it('pauses and resumes an edition, logging who did it', async () => {
    const cookie = await signIn('Grace');
    const page = await app.inject({ url: '/admin/editions/2026-11-27', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const pause = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/pause',
      headers: { cookie },
      payload: { _csrf: csrf },
    });
    expect(pause.statusCode).toBe(303);
    expect(pause.headers.location).toMatch(/^\/admin\/editions\/2026-11-27\?flash=Paused/);
    const status = () =>
      database.db
        .selectFrom('editions')
        .select('status')
        .where('date', '=', '2026-11-27')
        .executeTakeFirstOrThrow();
    expect((await status()).status).toBe('paused');
    expect(
      ctx.lines.some((l) => l.admin === 'Grace' && l.action === 'pause' && l.edition === '2026-11-27'),
    ).toBe(true);

    const resume = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/resume',
      headers: bearer,
    });
    expect(resume.statusCode).toBe(303);
    expect((await status()).status).toBe('open');
  });

  it('retries failed deliveries: back to planned and on the send queue', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-27/retry',
      headers: bearer,
    });
    expect(res.statusCode).toBe(303);
    expect(flash(res.headers.location)).toContain('2 failed deliveries');
    const rows = await database.db
      .selectFrom('deliveries')
      .select(['id', 'state', 'batch_key'])
      .where('edition_date', '=', '2026-11-27')
      .where('state', 'in', ['failed', 'planned'])
      .execute();
    expect(rows.filter((r) => r.state === 'failed')).toHaveLength(0);
    expect(rows.filter((r) => r.state === 'planned')).toHaveLength(3);
    const keys = [...new Set(rows.map((r) => r.batch_key))];
    expect(keys.every((k) => k !== null)).toBe(true);
    const queues = createQueueBackend(queueBackendOptions(ctx.config, database.url));
    try {
      for (const key of keys) {
        const job = await queues.queue('sends').getJob(`send-${key}`);
        expect(job?.data).toEqual({ batchKey: key, editionDate: '2026-11-27' });
      }
    } finally {
      await queues.close();
    }
  });

  it('leaves retried deliveries planned, without jobs, while the edition is paused', async () => {
    await database.db
      .updateTable('editions')
      .set({ status: 'paused' })
      .where('date', '=', '2026-11-26')
      .execute();
    await database.db
      .updateTable('deliveries')
      .set({ state: 'failed' })
      .where('edition_date', '=', '2026-11-26')
      .execute();
    const retry = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-26/retry',
      headers: bearer,
    });
    expect(flash(retry.headers.location)).toContain(
      '1 failed deliveries of 2026-11-26 set back to planned; 0 send job(s)',
    );
    const resume = await app.inject({
      method: 'POST',
      url: '/admin/editions/2026-11-26/resume',
      headers: bearer,
    });
    expect(flash(resume.headers.location)).toContain('Resumed 2026-11-26; 1 send job(s) enqueued');
  });
});

describe('preview', () => {
  it("shows a subscriber's digest through the sending code: subject, headers, frames, text, reasons", async () => {
    const res = await app.inject({
      url: '/admin/preview?email=READER0@example.org&date=2026-11-27&template=modern&format=',
      headers: bearer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<dd id="preview-subject">27 Nov 2026: Multi-agent &lt;script&gt;/);
    expect(res.body).toContain('List-Unsubscribe');
    expect(res.body).toContain('List-Unsubscribe=One-Click');
    expect(res.body).toContain('template=modern');
    const frames = [
      ...res.body.matchAll(/<iframe title="(desktop|phone) preview" sandbox="[^"]*" srcDoc="/g),
    ];
    expect(frames.map((m) => m[1])).toEqual(['desktop', 'phone']);
    // The feed's title is text inside the frame's attribute: escaped twice, never live markup.
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('class="why"');
    expect(res.body).toContain('<pre class="text">');
  });

  it('previews default preferences and says plainly when an address is unknown', async () => {
    const defaults = await app.inject({ url: '/admin/preview?defaults=1&date=2026-11-27', headers: bearer });
    expect(defaults.body).toContain('subscriber@example.org');
    expect([...defaults.body.matchAll(/<li>/g)].length).toBeGreaterThanOrEqual(10);
    const unknown = await app.inject({
      url: '/admin/preview?email=nobody@example.org&date=2026-11-27',
      headers: bearer,
    });
    expect(unknown.body).toContain('No subscriber with the address nobody@example.org.');
  });

  it('sends a test through the transport, marked as a test and not recorded as a delivery', async () => {
    const before = await database.db.selectFrom('deliveries').select('id').execute();
    const res = await app.inject({
      method: 'POST',
      url: '/admin/preview/test',
      headers: bearer,
      payload: { email: 'reader0@example.org', date: '2026-11-27', to: 'operator@example.org' },
    });
    expect(res.statusCode).toBe(303);
    expect(flash(res.headers.location)).toContain('Test sent to operator@example.org');
    const [email] = transport.to('operator@example.org');
    expect(email?.subject).toMatch(/^\[test\] 27 Nov 2026: /);
    expect(email?.tags).toContainEqual({ name: 'test', value: 'true' });
    expect(email?.tags.some((t) => t.name === 'delivery')).toBe(false);
    expect(email?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(await database.db.selectFrom('deliveries').select('id').execute()).toHaveLength(before.length);
    const bad = await app.inject({
      method: 'POST',
      url: '/admin/preview/test',
      headers: bearer,
      payload: { email: 'reader0@example.org', date: '2026-11-27', to: 'not an address' },
    });
    expect(flash(bad.headers.location)).toContain('Not an email address');
  });
});

describe('queues and health', () => {
  it('mounts bull-board at /admin/queues behind the same sign-in', async () => {
    expect((await app.inject({ url: '/admin/queues' })).statusCode).toBe(401);
    const page = await app.inject({ url: '/admin/queues', headers: bearer });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<base href="/admin/queues/"');
    const api = await app.inject({ url: '/admin/queues/api/queues', headers: bearer });
    expect(api.statusCode).toBe(200);
    expect(
      JSON.parse(api.body)
        .queues.map((q: { name: string }) => q.name)
        .sort(),
    ).toEqual(['editions', 'sends']);
    expect((await app.inject({ url: '/admin/queues/api/queues' })).statusCode).toBe(401);
    const pause = await app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/sends/pause',
      headers: bearer,
    });
    expect(pause.statusCode).toBe(200);
    expect(ctx.lines.some((l) => l.msg === 'admin: queue action' && l.url.endsWith('/sends/pause'))).toBe(
      true,
    );
    await app.inject({ method: 'PUT', url: '/admin/queues/api/queues/sends/resume', headers: bearer });
  });

  it('reports the database and the queue backend in /healthz', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      database: { ok: true },
      queues: { ok: true, backend: 'redis' },
    });
  });

  it('works the same on the PostgreSQL queue backend (no Redis)', async () => {
    const pgDb = await createTestDatabase();
    const pg = await buildServer(testContext(testConfig({ ADMIN_TOKEN: TOKEN }), pgDb.db, pgDb.url), {
      transport,
    });
    try {
      const health = await pg.inject({ url: '/healthz' });
      expect(health.json()).toMatchObject({ ok: true, queues: { ok: true, backend: 'postgres' } });
      const api = await pg.inject({ url: '/admin/queues/api/queues', headers: bearer });
      expect(api.statusCode).toBe(200);
      expect(JSON.parse(api.body).queues).toHaveLength(2);
      const metrics = await pg.inject({ url: '/metrics', headers: bearer });
      expect(metrics.body).toContain('paperboy_queue_backend_up 1');
    } finally {
      await pg.close();
      await pgDb.drop();
    }
  });

  it('answers 503 from /healthz when the queue backend is unreachable', async () => {
    const downDb = await createTestDatabase();
    const down = await buildServer(
      testContext(testConfig({ REDIS_URL: 'redis://127.0.0.1:1' }), downDb.db, downDb.url),
      { transport },
    );
    try {
      const res = await down.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        ok: false,
        database: { ok: true },
        queues: { ok: false, error: 'unreachable' },
      });
    } finally {
      await down.close();
      await downDb.drop();
    }
  });
});

describe('metrics', () => {
  it('serves the Prometheus exposition format with every paperboy metric, behind the token', async () => {
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const res = await app.inject({ url: '/metrics', headers: bearer });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'paperboy_emails_sent_total',
      'paperboy_emails_failed_total',
      'paperboy_queue_jobs',
      'paperboy_rank_duration_seconds',
      'paperboy_render_duration_seconds',
      'paperboy_webhook_events_total',
      'paperboy_admin_actions_total',
    ]) {
      expect(res.body).toContain(`# TYPE ${name} `);
    }
    expect(res.body).toMatch(/paperboy_admin_actions_total\{action="pause"\} [1-9]/);
    expect(res.body).toMatch(/paperboy_queue_jobs\{queue="sends",state="waiting"\} [1-9]/);
    expect(res.body).toContain('paperboy_queue_backend_up 1');
    expect(res.body).toMatch(/paperboy_emails_sent_total\{transport="recording",kind="test"\} 1/);
  });
});
