import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewPaperRow } from '../../src/db/schema.js';
import { ingestResult } from '../../src/papers/ingest.js';
import {
  countPapers,
  getPaper,
  latestListedDate,
  papersListedBetween,
  upsertPapers,
} from '../../src/papers/papers.repository.js';
import { readDailyPapersFile } from '../../src/sources/file.source.js';
import { formatRejection } from '../../src/sources/source-result.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { generatePapers, toDailyPapersItems } from '../support/generate.js';

let t: TestDatabase;
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-'));
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.db.deleteFrom('papers').execute();
});

function writeItems(name: string, items: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(items));
  return file;
}

describe('ingesting a daily_papers file', () => {
  it('stores the good record and names the bad one and its field', async () => {
    const [good, bad] = toDailyPapersItems(generatePapers(2)) as Array<{ paper: Record<string, unknown> }>;
    delete bad!.paper.title;
    const summary = await ingestResult(
      t.db,
      await readDailyPapersFile(writeItems('mixed.json', [good, bad])),
    );
    expect(summary).toMatchObject({ read: 2, inserted: 1, updated: 0 });
    expect(summary.rejected.map(formatRejection)).toEqual([
      'record #2 (id 2611.10001): paper.title: expected a string, but it is missing',
    ]);
    expect(await countPapers(t.db)).toBe(1);
    expect(await getPaper(t.db, '2611.10000')).toBeDefined();
  });

  it('keeps one row per paper when the same file comes twice, with upvotes and stars updated', async () => {
    const papers = generatePapers(5, { listedOn: '2026-11-25' });
    const file = writeItems('day.json', toDailyPapersItems(papers));
    expect(await ingestResult(t.db, await readDailyPapersFile(file))).toMatchObject({
      inserted: 5,
      updated: 0,
    });
    const before = await t.db.selectFrom('papers').select(['id', 'first_seen_at', 'updated_at']).execute();

    const later = papers.map((p) => ({
      ...p,
      upvotes: p.upvotes + 100,
      comments: p.comments + 1,
      githubStars: 999,
    }));
    writeItems('day.json', toDailyPapersItems(later));
    expect(await ingestResult(t.db, await readDailyPapersFile(file))).toMatchObject({
      inserted: 0,
      updated: 5,
    });

    expect(await countPapers(t.db)).toBe(5);
    for (const p of papers) {
      const stored = await getPaper(t.db, p.id);
      expect(stored).toMatchObject({ upvotes: p.upvotes + 100, comments: p.comments + 1, githubStars: 999 });
    }
    const after = await t.db.selectFrom('papers').select(['id', 'first_seen_at', 'updated_at']).execute();
    for (const row of after) {
      const old = before.find((b) => b.id === row.id)!;
      expect(row.first_seen_at).toEqual(old.first_seen_at);
      expect(row.updated_at.getTime()).toBeGreaterThan(old.updated_at.getTime());
    }
  });

  it('reports a file that is missing, not JSON, or not an array', async () => {
    await expect(readDailyPapersFile(path.join(dir, 'nope.json'))).rejects.toThrow(
      /cannot read .*nope\.json: no such file/,
    );
    writeFileSync(path.join(dir, 'broken.json'), '[{"paper": ');
    await expect(readDailyPapersFile(path.join(dir, 'broken.json'))).rejects.toThrow(
      /broken\.json is not valid JSON/,
    );
    await expect(readDailyPapersFile(writeItems('object.json', { papers: [] }))).rejects.toThrow(
      /must hold a JSON array of daily_papers items, not object/,
    );
  });
});

describe('upsertPapers', () => {
  const rows = (n: number, upvotes = 1): NewPaperRow[] =>
    generatePapers(n).map((p) => ({
      id: p.id,
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      listed_on: p.listedOn,
      upvotes,
      comments: 0,
      ai_keywords: p.aiKeywords,
      source: 'hf',
      organization: null,
      organization_name: null,
      published_at: null,
      github_repo: null,
      github_stars: null,
      project_page: null,
      thumbnail: null,
      ai_summary: null,
    }));

  it('splits into statements, survives repeated ids in one batch, and counts inserts and updates', async () => {
    const first = rows(20);
    const progress: number[] = [];
    const counts = await upsertPapers(t.db, first, {
      chunkSize: 7,
      onProgress: (done) => progress.push(done),
    });
    expect(counts).toEqual({ inserted: 20, updated: 0 });
    expect(progress).toEqual([7, 14, 20]);

    const again = [...rows(25, 5), { ...rows(1, 42)[0]! }];
    expect(await upsertPapers(t.db, again, { chunkSize: 7 })).toEqual({ inserted: 5, updated: 20 });
    expect(await countPapers(t.db)).toBe(25);
    expect((await getPaper(t.db, '2611.10000'))?.upvotes).toBe(42);
    expect((await getPaper(t.db, '2611.10001'))?.upvotes).toBe(5);
  });

  it('writes thousands of rows in one call without hitting the parameter limit', async () => {
    expect(await upsertPapers(t.db, rows(5000), { chunkSize: 100_000 })).toEqual({
      inserted: 5000,
      updated: 0,
    });
    expect(await countPapers(t.db)).toBe(5000);
  });

  it('never lets an arXiv row blank the upvotes and links Hugging Face gave', async () => {
    const [hf] = rows(1, 77);
    await upsertPapers(t.db, [{ ...hf!, github_repo: 'https://github.com/a/b', ai_summary: 'S' }]);
    await upsertPapers(t.db, [
      { ...hf!, title: 'Revised title', upvotes: 0, source: 'arxiv', listed_on: '2026-12-01' },
    ]);
    expect(await getPaper(t.db, hf!.id)).toMatchObject({
      title: 'Revised title',
      upvotes: 77,
      githubRepo: 'https://github.com/a/b',
      aiSummary: 'S',
      listedOn: '2026-11-26',
    });
  });

  it('lists papers by listing day, most upvoted first', async () => {
    expect(await latestListedDate(t.db)).toBeNull();
    const day = (listedOn: string, seed: number) =>
      generatePapers(3, { listedOn, seed, idPrefix: `26${listedOn.slice(8)}` });
    const items = [...day('2026-11-24', 1), ...day('2026-11-25', 2), ...day('2026-11-26', 3)];
    await ingestResult(t.db, await readDailyPapersFile(writeItems('days.json', toDailyPapersItems(items))));
    const listed = await papersListedBetween(t.db, '2026-11-25', '2026-11-26');
    expect(listed.map((p) => p.listedOn)).toEqual([
      '2026-11-25',
      '2026-11-25',
      '2026-11-25',
      ...Array(3).fill('2026-11-26'),
    ]);
    const first = listed.slice(0, 3).map((p) => p.upvotes);
    expect(first).toEqual([...first].sort((a, b) => b - a));
    expect(listed[0]!.authors.length).toBeGreaterThan(0);
    expect(listed[0]!.publishedAt).toBeInstanceOf(Date);
    expect(await latestListedDate(t.db)).toBe('2026-11-26');
  });
});
