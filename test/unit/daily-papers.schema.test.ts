import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FILE } from '../../src/papers/run-ingest.js';
import { dayOf, mapDailyPaper, validateDailyPapers } from '../../src/sources/daily-papers.schema.js';
import { formatRejection } from '../../src/sources/source-result.js';

function item(paper: Record<string, unknown> = {}, outer: Record<string, unknown> = {}) {
  return {
    paper: {
      id: '2611.01234',
      title: 'Scaling Things',
      summary: 'We scale things.',
      authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
      publishedAt: '2026-11-24T17:00:00.000Z',
      upvotes: 12,
      ...paper,
    },
    numComments: 3,
    ...outer,
  };
}

describe('daily_papers items', () => {
  it('map a full item to a papers row', () => {
    const out = mapDailyPaper(
      item(
        {
          ai_summary: 'Short.',
          ai_keywords: ['scaling'],
          githubRepo: 'https://github.com/a/b',
          githubStars: 7,
          projectPage: 'http://a.example/p',
          organization: { name: 'meta-ai', fullname: 'Meta AI' },
          submittedOnDailyAt: '2026-11-25T08:01:00.000Z',
        },
        { thumbnail: 'https://cdn.example/t.png' },
      ),
      1,
      { source: 'file' },
    );
    expect(out).toEqual({
      warnings: [],
      row: {
        id: '2611.01234',
        title: 'Scaling Things',
        abstract: 'We scale things.',
        authors: ['Ada Lovelace', 'Alan Turing'],
        organization: 'Meta AI',
        organization_name: 'meta-ai',
        published_at: new Date('2026-11-24T17:00:00.000Z'),
        listed_on: '2026-11-25',
        upvotes: 12,
        comments: 3,
        github_repo: 'https://github.com/a/b',
        github_stars: 7,
        project_page: 'http://a.example/p',
        thumbnail: 'https://cdn.example/t.png',
        ai_summary: 'Short.',
        ai_keywords: ['scaling'],
        source: 'file',
      },
    });
  });

  it('take the listing day from the request, else submittedOnDailyAt, else publishedAt', () => {
    const listed = (paper: Record<string, unknown>, listedOn?: string) => {
      const out = mapDailyPaper(item(paper), 1, { source: 'hf', listedOn });
      return 'row' in out ? out.row.listed_on : out.rejection.field;
    };
    expect(listed({ submittedOnDailyAt: '2026-11-25T23:59:00Z' }, '2026-11-26')).toBe('2026-11-26');
    expect(listed({ submittedOnDailyAt: '2026-11-25T23:59:00Z' })).toBe('2026-11-25');
    expect(listed({})).toBe('2026-11-24');
    expect(listed({ publishedAt: null })).toBe('paper.submittedOnDailyAt');
  });

  it('name the position, id and field of a bad record, and keep the good ones', () => {
    const result = validateDailyPapers(
      [item(), item({ id: '2611.00002', title: undefined }), item({ id: '2611.00003', upvotes: 'many' })],
      { source: 'file' },
    );
    expect(result.read).toBe(3);
    expect(result.rows.map((r) => r.id)).toEqual(['2611.01234']);
    expect(result.rejected.map(formatRejection)).toEqual([
      'record #2 (id 2611.00002): paper.title: expected a string, but it is missing',
      'record #3 (id 2611.00003): paper.upvotes: expected a number, got a string',
    ]);
  });

  it('describe records that are not objects, lack an id, or have a bad nested field', () => {
    const result = validateDailyPapers(
      [
        'hello',
        { paper: { title: 'No id' } },
        item({ authors: [{ name: 'A' }, { name: 5 }] }),
        item({ id: 'not an id' }),
        item({ upvotes: -3, title: '  ' }),
      ],
      { source: 'hf', origin: 'daily_papers 2026-11-25' },
    );
    expect(result.rejected.map(formatRejection)).toEqual([
      'daily_papers 2026-11-25 record #1: expected an object, got a string',
      'daily_papers 2026-11-25 record #2: paper.id: expected a string, but it is missing',
      'daily_papers 2026-11-25 record #3 (id 2611.01234): paper.authors[1].name: expected a string, got a number',
      'daily_papers 2026-11-25 record #4 (id not an id): paper.id: expected an arXiv id such as 2411.01234 or cs/0101001',
      'daily_papers 2026-11-25 record #5 (id 2611.01234): paper.title: is empty (and 1 more problem)',
    ]);
  });

  it('accept old-style arXiv ids and drop version suffixes', () => {
    const ids = validateDailyPapers(
      [item({ id: 'cs/0101001' }), item({ id: 'math.AG/0501001v2' }), item({ id: '2411.01234v3' })],
      { source: 'file' },
    ).rows.map((r) => r.id);
    expect(ids).toEqual(['cs/0101001', 'math.AG/0501001', '2411.01234']);
  });

  it('drop links that are not http(s) with a warning, and keep the record and its text as given', () => {
    const title = '<script>alert(1)</script> "><img src=x onerror=alert(1)>';
    const result = validateDailyPapers(
      [
        item(
          { title, githubRepo: 'javascript:alert(1)', projectPage: 'data:text/html,hi' },
          { thumbnail: '' },
        ),
      ],
      { source: 'file' },
    );
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ title, github_repo: null, project_page: null, thumbnail: null });
    expect(result.warnings).toEqual([
      'record #1 (id 2611.01234): paper.githubRepo dropped: "javascript:alert(1)" is not an http(s) URL',
      'record #1 (id 2611.01234): paper.projectPage dropped: "data:text/html,hi" is not an http(s) URL',
    ]);
  });

  it('fall back to the item-level organisation and summary', () => {
    const out = mapDailyPaper(
      item({ summary: undefined }, { summary: 'Outer.', organization: { name: 'nvidia' } }),
      1,
      { source: 'file' },
    );
    expect('row' in out && out.row).toMatchObject({
      abstract: 'Outer.',
      organization: 'nvidia',
      organization_name: 'nvidia',
    });
  });

  it('read days in UTC', () => {
    expect(dayOf('2026-11-25T23:30:00-05:00')).toBe('2026-11-26');
    expect(dayOf('2026-11-25')).toBe('2026-11-25');
    expect(dayOf('yesterday')).toBeUndefined();
  });
});

describe('the bundled sample', () => {
  const items = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as unknown[];
  const result = validateDailyPapers(items, { source: 'file' });

  it('is all valid, over two listing days, with the hostile link dropped', () => {
    expect(result.rejected).toEqual([]);
    expect(result.rows.length).toBeGreaterThanOrEqual(55);
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(result.rows.length);
    const days = result.rows.map((r) => r.listed_on);
    expect(new Set(days)).toEqual(new Set(['2026-11-25', '2026-11-26']));
    expect(result.warnings).toEqual([
      'record #60 (id 2611.21270): paper.githubRepo dropped: "javascript:alert(1)" is not an http(s) URL',
    ]);
  });

  it('holds the text the renderers must cope with', () => {
    const titles = result.rows.map((r) => r.title);
    expect(titles.some((t) => /\p{Extended_Pictographic}/u.test(t))).toBe(true);
    expect(titles.some((t) => /[\u0590-\u06FF]/.test(t))).toBe(true);
    expect(titles.some((t) => /[\u4E00-\u9FFF]/.test(t))).toBe(true);
    expect(titles.some((t) => t.includes('<script>alert(1)</script>') && t.includes('"><img'))).toBe(true);
    expect(result.rows.filter((r) => r.upvotes >= 300)).toHaveLength(2);
    expect(result.rows.filter((r) => r.upvotes < 20).length).toBeGreaterThan(15);
  });
});
