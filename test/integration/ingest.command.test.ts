import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPapers, getPaper } from '../../src/papers/papers.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startFakeArxiv } from '../support/fake-arxiv.js';
import type { FakeServer } from '../support/fake-http.js';
import { type FakeHuggingFace, startFakeHuggingFace } from '../support/fake-huggingface.js';
import { generatePapers, toDailyPapersItems } from '../support/generate.js';

const BIN = path.resolve('bin/paperboy.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-cli-'));
let t: TestDatabase;
let hf: FakeHuggingFace;
let arxiv: FakeServer;

beforeAll(async () => {
  t = await createTestDatabase();
  hf = await startFakeHuggingFace({
    today: '2026-11-29',
    days: { '2026-11-27': toDailyPapersItems(generatePapers(3, { seed: 5, idPrefix: '2627' })) },
  });
  arxiv = await startFakeArxiv([
    {
      id: '2611.05555v2',
      title: 'From arXiv',
      summary: 'A.',
      published: '2026-11-26T12:00:00Z',
      authors: ['A B'],
    },
  ]);
});
afterAll(async () => {
  await hf.close();
  await arxiv.close();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real CLI as a child process (asynchronously: the fake server lives in this process). */
function paperboy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          HF_BASE_URL: hf.url,
          ARXIV_BASE_URL: arxiv.url,
          LOG_LEVEL: 'warn',
          NODE_ENV: 'test',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function file(name: string, items: unknown[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify(items));
  return p;
}

describe('paperboy ingest', () => {
  it('stores the good record of a file, names the bad record and field, and exits 0', async () => {
    const [good, bad] = toDailyPapersItems(generatePapers(2, { seed: 9 })) as Array<{
      paper: Record<string, unknown>;
    }>;
    delete bad!.paper.title;
    const run = await paperboy('ingest', '--file', file('mixed.json', [good, bad]));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('rejected record #2 (id 2611.10001): paper.title: expected a string');
    expect(run.stdout).toContain('read 2 records: 1 new, 0 updated, 1 rejected, 0 warnings');
    expect(await countPapers(t.db)).toBe(1);
    expect(await getPaper(t.db, '2611.10000')).toBeDefined();
  }, 90_000);

  it('exits non-zero when a file holds nothing valid', async () => {
    const run = await paperboy('ingest', '--file', file('bad.json', [{ paper: { id: '2611.99999' } }, 42]));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rejected record #2: expected an object, got a number');
    expect(run.stderr).toContain('paperboy: nothing valid was read: 2 of 2 records rejected');
  }, 90_000);

  it('reads a range of days from Hugging Face, an empty weekend included', async () => {
    const run = await paperboy('ingest', '--from', '2026-11-27', '--to', '2026-11-28', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 3, inserted: 3, updated: 0, rejected: [] });
    expect(hf.requests.map((r) => r.query.date)).toEqual(['2026-11-27', '2026-11-28']);
    expect((await getPaper(t.db, '2627.10002'))?.listedOn).toBe('2026-11-27');
  }, 90_000);

  it('reads an arXiv query over a date range', async () => {
    const run = await paperboy('ingest', '--source', 'arxiv', '--query', 'cat:cs.AI', '--date', '2026-11-26');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('read 1 record: 1 new');
    expect(arxiv.requests[0]?.query.search_query).toBe(
      'cat:cs.AI AND submittedDate:[202611260000 TO 202611262359]',
    );
    expect(await getPaper(t.db, '2611.05555')).toMatchObject({
      title: 'From arXiv',
      listedOn: '2026-11-26',
      upvotes: 0,
    });
  }, 90_000);

  it('refuses a bad option with a one-line reason', async () => {
    const run = await paperboy('ingest', '--date', '2026-11-31');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('paperboy: --date must be a day as YYYY-MM-DD, not "2026-11-31"');
  }, 90_000);
});
