import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestResult } from '../../src/papers/ingest.js';
import { getPaper } from '../../src/papers/papers.repository.js';
import { type ArxivOptions, fetchArxiv } from '../../src/sources/arxiv.source.js';
import { formatRejection } from '../../src/sources/source-result.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type ArxivEntry, atomFeed, startFakeArxiv } from '../support/fake-arxiv.js';
import type { FakeServer } from '../support/fake-http.js';

const entries: ArxivEntry[] = Array.from({ length: 5 }, (_, i) => ({
  id: `2611.0100${i}v${1 + (i % 2)}`,
  title: `Paper   number\n      ${i} & friends`,
  summary: `  An abstract\n  over several   lines (${i}).  `,
  published: `2026-11-2${5 + (i % 2)}T1${i}:00:00Z`,
  authors: ['Ada Lovelace', ' Alan  Turing '],
}));
entries.push({
  id: 'cs/0101001v1',
  title: 'An old one',
  summary: 'Old.',
  published: '2026-11-25T09:00:00Z',
  authors: [],
});

let t: TestDatabase;
let arxiv: FakeServer;
let waits: number[];
let options: ArxivOptions;

beforeAll(async () => {
  t = await createTestDatabase();
  arxiv = await startFakeArxiv(entries);
});
afterAll(async () => {
  await arxiv.close();
  await t.drop();
});
beforeEach(() => {
  arxiv.requests.length = 0;
  arxiv.script.length = 0;
  waits = [];
  options = { baseUrl: arxiv.url, pageSize: 2, sleep: async (ms) => void waits.push(ms) };
});

describe('arXiv Atom API', () => {
  it('pages through the results with a polite pause and maps entries to papers', async () => {
    const result = await fetchArxiv('cat:cs.AI', '2026-11-25', '2026-11-26', options);
    expect(arxiv.requests.map((r) => r.query.start)).toEqual(['0', '2', '4']);
    expect(arxiv.requests[0]!.query).toMatchObject({
      search_query: 'cat:cs.AI AND submittedDate:[202611250000 TO 202611262359]',
      max_results: '2',
      sortBy: 'submittedDate',
    });
    expect(waits).toEqual([3000, 3000]);
    expect(result.read).toBe(6);
    expect(result.rows[1]).toMatchObject({
      id: '2611.01001',
      title: 'Paper number 1 & friends',
      abstract: 'An abstract over several lines (1).',
      authors: ['Ada Lovelace', 'Alan Turing'],
      listed_on: '2026-11-26',
      upvotes: 0,
      source: 'arxiv',
    });
    expect(result.rows[5]?.id).toBe('cs/0101001');
    expect(await ingestResult(t.db, result)).toMatchObject({ inserted: 6 });
    expect((await getPaper(t.db, '2611.01000'))?.publishedAt).toEqual(new Date('2026-11-25T10:00:00Z'));
  });

  it('groups a query with spaces before adding the date range', async () => {
    await fetchArxiv('cat:cs.AI OR cat:cs.LG', '2026-11-25', '2026-11-25', { ...options, pageSize: 10 });
    expect(arxiv.requests[0]!.query.search_query).toBe(
      '(cat:cs.AI OR cat:cs.LG) AND submittedDate:[202611250000 TO 202611252359]',
    );
  });

  it('retries a 503 and reports malformed XML and arXiv query errors', async () => {
    arxiv.script.push({ status: 503 });
    expect(
      (await fetchArxiv('cat:cs.AI', '2026-11-25', '2026-11-26', { ...options, pageSize: 10 })).read,
    ).toBe(6);
    expect(waits).toHaveLength(1);

    arxiv.script.push({ status: 200, body: '<feed><entry></feed>' });
    await expect(fetchArxiv('cat:cs.AI', '2026-11-25', '2026-11-26', options)).rejects.toThrow(
      /returned malformed XML/,
    );

    const error = atomFeed([], 1).replace(
      '</feed>',
      '<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id><title>Error</title><summary>incorrect id format</summary></entry></feed>',
    );
    arxiv.script.push({ status: 200, body: error });
    await expect(fetchArxiv('id:x', '2026-11-25', '2026-11-26', options)).rejects.toThrow(
      'arXiv rejected the query: incorrect id format',
    );
  });

  it('rejects an entry without a title and keeps the others', async () => {
    const broken = atomFeed(entries.slice(0, 2), 2).replace(/<title>Paper[^<]*0 &amp; friends<\/title>/, '');
    arxiv.script.push({ status: 200, body: broken });
    const result = await fetchArxiv('cat:cs.AI', '2026-11-25', '2026-11-26', { ...options, pageSize: 10 });
    expect(result.rows.map((r) => r.id)).toEqual(['2611.01001']);
    expect(result.rejected.map(formatRejection)).toEqual([
      'arXiv record #1 (id 2611.01000): title: expected a string, but it is missing',
    ]);
  });
});
