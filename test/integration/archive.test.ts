import type { FastifyInstance } from 'fastify';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/editions/archive.service.js';
import { buildServer } from '../../src/http/server.js';
import { insertPapers } from '../support/admin-seed.js';
import { testContext } from '../support/app-context.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { generatePapers } from '../support/generate.js';
import { RecordingTransport } from '../support/recording-transport.js';
import { deleteKeys, randomPrefix, TEST_REDIS_URL } from '../support/redis.js';

const EVIL = '<img src=x onerror=alert(1)> Attention & <b>Everything</b>';

let database: TestDatabase;
let app: FastifyInstance;
const prefix = randomPrefix();

beforeAll(async () => {
  database = await createTestDatabase();
  const day1 = generatePapers(12, { listedOn: '2026-11-26', idPrefix: '2611', seed: 1 });
  const day2 = generatePapers(12, { listedOn: '2026-11-27', idPrefix: '2612', seed: 2 });
  day2[0]!.title = EVIL;
  day2[0]!.upvotes = 10_000; // surely in the default top ten
  await insertPapers(database.db, [...day1, ...day2]);
  await database.db
    .insertInto('editions')
    .values([{ date: '2026-11-26' }, { date: '2026-11-27' }, { date: '2099-01-01' }])
    .execute();
  const config = testConfig({
    PUBLIC_URL: 'https://papers.example.org',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
  });
  app = await buildServer(testContext(config, database.db, database.url), {
    transport: new RecordingTransport(),
  });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
  await deleteKeys(prefix);
});

describe('public archive', () => {
  it("serves an edition's default digest with feed text escaped and nothing personal", async () => {
    const res = await app.inject({ url: '/archive/2026-11-27' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain(
      '&lt;img src=x onerror=alert(1)&gt; Attention &amp; &lt;b&gt;Everything&lt;/b&gt;',
    );
    expect(res.body).not.toMatch(/\/unsubscribe\/|\/feedback\/|\/preferences\//);
    expect(res.body).toContain('<link rel="canonical" href="https://papers.example.org/archive/2026-11-27">');
    expect(res.body).toContain('type="application/atom+xml"');
  });

  it('answers 404 for a day without an edition and 400 for a malformed date', async () => {
    expect((await app.inject({ url: '/archive/2026-11-20' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/archive/yesterday' })).statusCode).toBe(400);
  });

  it('lists past editions (not future ones) with links and the feed', async () => {
    const res = await app.inject({ url: '/archive' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/archive/2026-11-27"');
    expect(res.body).toContain('href="/archive/2026-11-26"');
    expect(res.body).not.toContain('2099-01-01');
    expect(res.body).toContain('type="application/atom+xml"');
    expect(res.body.indexOf('2026-11-27')).toBeLessThan(res.body.indexOf('2026-11-26'));
  });

  it('serves an Atom feed a feed reader parses, with absolute links to every edition', async () => {
    const res = await app.inject({ url: '/feed.xml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = await new Parser().parseString(res.body);
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://papers.example.org/archive/2026-11-27',
      'https://papers.example.org/archive/2026-11-26',
    ]);
    const first = feed.items[0]!;
    expect(first.content).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(first.content).not.toContain('<img src=x');
  });

  it('renders each edition once and serves it from the cache until the time is up', async () => {
    let clock = 0;
    const archive = createArchive(
      { db: database.db, config: testConfig() },
      { ttlMs: 1000, now: () => clock },
    );
    const a = await archive.edition('2026-11-26');
    const b = await archive.edition('2026-11-26');
    expect(b).toBe(a);
    clock = 2000;
    const c = await archive.edition('2026-11-26');
    expect(c).not.toBe(a);
    expect(c?.html).toBe(a?.html);
    expect(await archive.edition('2026-11-20')).toBeUndefined();
  });
});
