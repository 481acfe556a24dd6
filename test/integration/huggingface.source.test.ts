import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestResult } from '../../src/papers/ingest.js';
import { countPapers, getPaper } from '../../src/papers/papers.repository.js';
import { fetchDailyPapers, type HuggingFaceOptions } from '../../src/sources/huggingface.source.js';
import { formatRejection } from '../../src/sources/source-result.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type FakeHuggingFace, startFakeHuggingFace } from '../support/fake-huggingface.js';
import { generatePapers, toDailyPapersItems } from '../support/generate.js';

let t: TestDatabase;
let hf: FakeHuggingFace;
let waits: number[];
let options: HuggingFaceOptions;

const WEDNESDAY = '2026-11-25';
const items = (n: number, seed = 1) => toDailyPapersItems(generatePapers(n, { seed, listedOn: WEDNESDAY }));

beforeAll(async () => {
  t = await createTestDatabase();
  hf = await startFakeHuggingFace({ today: '2026-11-29' });
});
afterAll(async () => {
  await hf.close();
  await t.drop();
});
beforeEach(async () => {
  await t.db.deleteFrom('papers').execute();
  hf.requests.length = 0;
  hf.script.length = 0;
  hf.days.clear();
  waits = [];
  options = { baseUrl: hf.url, sleep: async (ms) => void waits.push(ms), baseDelayMs: 100 };
});

describe('Hugging Face daily_papers', () => {
  it('follows pages until a short one and stores every paper of the day', async () => {
    hf.days.set(WEDNESDAY, items(250));
    const result = await fetchDailyPapers(WEDNESDAY, options);
    expect(hf.requests.map((r) => r.query)).toEqual(
      [0, 1, 2].map((p) => ({ date: WEDNESDAY, p: String(p), limit: '100' })),
    );
    expect(result).toMatchObject({ read: 250, rejected: [], warnings: [] });
    expect(await ingestResult(t.db, result)).toMatchObject({ inserted: 250, updated: 0 });
    expect(await countPapers(t.db)).toBe(250);
    expect((await getPaper(t.db, '2611.10249'))?.listedOn).toBe(WEDNESDAY);
  });

  it('asks for one more page when a page is exactly full', async () => {
    hf.days.set(WEDNESDAY, items(4));
    const result = await fetchDailyPapers(WEDNESDAY, { ...options, pageSize: 2 });
    expect(result.read).toBe(4);
    expect(hf.requests.map((r) => r.query.p)).toEqual(['0', '1', '2']);
  });

  it('lists the listing day asked for, not the paper dates', async () => {
    hf.days.set('2026-11-26', items(1));
    const [row] = (await fetchDailyPapers('2026-11-26', options)).rows;
    expect(row).toMatchObject({ listed_on: '2026-11-26', source: 'hf' });
  });

  it('waits as long as a 429 retry-after says, in seconds or as a date', async () => {
    hf.days.set(WEDNESDAY, items(3));
    hf.script.push({ status: 429, headers: { 'retry-after': '7' }, body: '{"error":"slow down"}' });
    hf.script.push({ status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } });
    const result = await fetchDailyPapers(WEDNESDAY, options);
    expect(result.read).toBe(3);
    expect(waits[0]).toBe(7000);
    expect(waits[1]).toBeGreaterThan(55_000);
    expect(waits[1]).toBeLessThanOrEqual(60_000);
    expect(hf.requests).toHaveLength(3);
  });

  it('retries 5xx answers and dropped connections with growing delays', async () => {
    hf.days.set(WEDNESDAY, items(2));
    hf.script.push({ status: 500 }, 'drop', { status: 503 });
    const retries: string[] = [];
    const result = await fetchDailyPapers(WEDNESDAY, { ...options, onRetry: (r) => retries.push(r.reason) });
    expect(result.read).toBe(2);
    expect(retries[0]).toBe('HTTP 500');
    expect(retries[2]).toBe('HTTP 503');
    expect(waits).toHaveLength(3);
    expect(waits[2]!).toBeGreaterThan(waits[0]!);
  });

  it('gives up after the last attempt with the reason', async () => {
    hf.script.push(...Array(3).fill({ status: 502 }));
    await expect(fetchDailyPapers(WEDNESDAY, { ...options, maxAttempts: 3 })).rejects.toThrow(
      /daily_papers\?date=2026-11-25&p=0&limit=100 failed 3 times \(last: HTTP 502\)/,
    );
    expect(hf.requests).toHaveLength(3);
  });

  it('names the URL when the answer is not JSON', async () => {
    hf.script.push({ status: 200, body: '<html>maintenance</html>' });
    await expect(fetchDailyPapers(WEDNESDAY, options)).rejects.toThrow(
      new RegExp(`${hf.url}/api/daily_papers\\?date=2026-11-25&p=0&limit=100 returned malformed JSON`),
    );
  });

  it('treats an empty weekend as nothing to do', async () => {
    const result = await fetchDailyPapers('2026-11-28', options);
    expect(result).toEqual({ read: 0, rows: [], rejected: [], warnings: [] });
    expect(hf.requests).toHaveLength(1);
  });

  it('explains the 400 that a future date gets', async () => {
    await expect(fetchDailyPapers('2026-12-24', options)).rejects.toThrow(
      /Hugging Face answered 400 for daily_papers of 2026-12-24 \(is the date in the future/,
    );
    expect(waits).toEqual([]);
  });

  it('rejects bad records on a later page by their position in the day and stores the rest', async () => {
    const day = items(3) as Array<{ paper: Record<string, unknown> }>;
    day[2]!.paper.upvotes = 'lots';
    hf.days.set(WEDNESDAY, day);
    const result = await fetchDailyPapers(WEDNESDAY, { ...options, pageSize: 2 });
    expect(result.rejected.map(formatRejection)).toEqual([
      'daily_papers 2026-11-25 record #3 (id 2611.10002): paper.upvotes: expected a number, got a string',
    ]);
    expect(await ingestResult(t.db, result)).toMatchObject({ read: 3, inserted: 2 });
  });
});
