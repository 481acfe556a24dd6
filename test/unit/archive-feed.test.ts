import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { buildAtomFeed } from '../../src/editions/archive-feed.js';
import { generatePapers } from '../support/generate.js';

const site = { publicUrl: 'https://papers.example.org', senderName: 'paperboy' };

describe('Atom feed of editions', () => {
  it('parses as Atom with one entry per edition, absolute links and escaped feed text', async () => {
    const [evil, ...rest] = generatePapers(4, { listedOn: '2026-11-27' });
    evil!.title = '<script>alert(1)</script> Tom & Jerry ]]> "quoted"';
    const papers = [evil!, ...rest].map((paper) => ({ paper, score: 1, why: 'popular today' }));
    const xml = buildAtomFeed(site, [
      {
        date: '2026-11-27',
        title: `2026-11-27: ${evil!.title}`,
        papers,
        updatedAt: new Date('2026-11-27T08:00:00Z'),
      },
      {
        date: '2026-11-26',
        title: '2026-11-26: Another day',
        papers: papers.slice(1),
        updatedAt: new Date('2026-11-26T08:00:00Z'),
      },
    ]);
    expect(xml).not.toContain('<script>');
    const feed = await new Parser().parseString(xml);
    expect(feed.feedUrl ?? feed.link).toMatch(/^https:\/\/papers\.example\.org\//);
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://papers.example.org/archive/2026-11-27',
      'https://papers.example.org/archive/2026-11-26',
    ]);
    // Atom titles are type="html": the text arrives HTML-escaped, so readers show it as text.
    expect(feed.items[0]!.title).toBe(
      '2026-11-27: &#60;script&#62;alert(1)&#60;/script&#62; Tom &#38; Jerry ]]&#62; &#34;quoted&#34;',
    );
    const content = feed.items[0]!.content ?? '';
    expect(content).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry');
    expect(content).toContain(`https://huggingface.co/papers/${rest[0]!.id}`);
  });

  it('is a valid empty feed when there are no editions yet', async () => {
    const feed = await new Parser().parseString(buildAtomFeed(site, []));
    expect(feed.items).toHaveLength(0);
    expect(feed.title).toContain('paperboy');
  });
});
