import { describe, expect, it } from 'vitest';
import { planFrom } from '../../src/cli/ingest.command.js';
import { arxivIdFromUrl } from '../../src/sources/arxiv.source.js';
import { eachDay, isDay } from '../../src/sources/days.js';
import { retryAfterMs } from '../../src/sources/http-fetch.js';

describe('ingest options', () => {
  it('plan days, ranges, files and arXiv queries', () => {
    expect(planFrom({ source: 'hf', date: '2026-11-25' })).toEqual({ kind: 'hf', days: ['2026-11-25'] });
    expect(planFrom({ source: 'hf', from: '2026-11-27', to: '2026-11-30' })).toEqual({
      kind: 'hf',
      days: ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'],
    });
    expect(planFrom({ source: 'hf', file: 'x.json' })).toEqual({ kind: 'file', path: 'x.json' });
    expect(planFrom({ source: 'arxiv', query: 'cat:cs.AI', from: '2026-11-25', to: '2026-11-26' })).toEqual({
      kind: 'arxiv',
      query: 'cat:cs.AI',
      from: '2026-11-25',
      to: '2026-11-26',
    });
  });

  it('refuse bad combinations with one sentence', () => {
    const bad = (o: Parameters<typeof planFrom>[0]) => () => planFrom(o);
    expect(bad({ source: 'hf', date: '2026-02-30' })).toThrow(
      '--date must be a day as YYYY-MM-DD, not "2026-02-30"',
    );
    expect(bad({ source: 'hf', date: '2026-11-25', from: '2026-11-24' })).toThrow('not both');
    expect(bad({ source: 'hf', from: '2026-11-25', to: '2026-11-24' })).toThrow('is before --from');
    expect(bad({ source: 'hf', to: '2026-11-24' })).toThrow('--to needs --from');
    expect(bad({ source: 'arxiv' })).toThrow('--source arxiv needs --query');
    expect(bad({ source: 'hf', query: 'cat:cs.AI' })).toThrow('--query is for --source arxiv');
    expect(bad({ source: 'hf', file: 'x.json', date: '2026-11-25' })).toThrow('--file takes no dates');
    expect(bad({ source: 'file' })).toThrow('--source file needs --file PATH');
    expect(bad({ source: 'hf', from: '2020-01-01', to: '2026-01-01' })).toThrow('too long');
  });
});

describe('source helpers', () => {
  it('read retry-after as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sun, 29 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sun, 29 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('take the arXiv id out of an entry URL', () => {
    expect(arxivIdFromUrl('http://arxiv.org/abs/2611.01234v2')).toBe('2611.01234');
    expect(arxivIdFromUrl('http://arxiv.org/abs/cs/0101001v1')).toBe('cs/0101001');
    expect(arxivIdFromUrl('http://arxiv.org/api/errors#x')).toBeUndefined();
  });

  it('know real calendar days', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(eachDay('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
  });
});
