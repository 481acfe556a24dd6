import { describe, expect, it } from 'vitest';
import { digestLinks } from '../../src/render/digest.types.js';
import { authorsLine, cutAtWord, SHORT_ABSTRACT_CHARS, subjectLine } from '../../src/render/digest-view.js';
import { safeUrl } from '../../src/render/escape.js';
import { renderDigestNaive } from '../../src/render/render-digest.js';
import { TEMPLATE_NAMES } from '../../src/subscribers/preferences.js';
import { digestInput, ranked } from '../support/digests.js';
import { generatePapers } from '../support/generate.js';
import { hrefs, textOf } from '../support/html.js';

const papers = generatePapers(20, { seed: 5 });
const withAbstract = { ...papers[0]!, aiSummary: null, abstract: `${'word '.repeat(100)}end.` };
const withSummary = { ...papers[1]!, aiSummary: 'An AI one-liner.', abstract: 'The long abstract.' };

describe('subject and preheader', () => {
  it('names the date and the top paper by default, with the count of the rest', () => {
    const input = digestInput(ranked(papers.slice(0, 10)));
    expect(subjectLine(input)).toBe(`26 Nov 2026: ${papers[0]!.title} + 9 more`);
  });

  it('follows the configured template and leaves unknown placeholders alone', () => {
    const input = digestInput(ranked(papers.slice(0, 3)), {
      subjectTemplate: '[{{count}}] {{topTitle}} {{nope}}',
    });
    expect(subjectLine(input)).toBe(`[3] ${papers[0]!.title} {{nope}}`);
  });

  it('has no "+ 0 more" for one paper and says so on a quiet day', () => {
    expect(subjectLine(digestInput(ranked(papers.slice(0, 1))))).toBe(`26 Nov 2026: ${papers[0]!.title}`);
    expect(subjectLine(digestInput([], { quiet: true }))).toBe('26 Nov 2026: nothing new today');
  });

  it('keeps a subject on one line and cuts very long titles at a word', () => {
    const long = { ...papers[0]!, title: `Line\nbreak ${'lengthy '.repeat(30)}title` };
    const subject = subjectLine(digestInput(ranked([long])));
    expect(subject).not.toMatch(/\n/);
    expect(subject.length).toBeLessThan(110);
    expect(subject).toMatch(/lengthy…$/);
  });

  it.each(TEMPLATE_NAMES)('%s: puts "<top title> + N more" in a hidden preheader', async (template) => {
    const { html } = await renderDigestNaive(
      digestInput(ranked(papers.slice(0, 10)), {
        preferences: { template, format: 'html', abstracts: 'short' },
      }),
    );
    const preheader = new RegExp(`<div style="display:none[^>]*>${papers[0]!.title} \\+ 9 more`);
    expect(html).toMatch(preheader);
  });
});

describe('paper blocks', () => {
  it('shows the first three authors and "+ N more"', () => {
    expect(authorsLine(['A', 'B'])).toBe('A, B');
    expect(authorsLine(['A', 'B', 'C'])).toBe('A, B, C');
    expect(authorsLine(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C + 2 more');
  });

  it('cuts short abstracts at a word boundary near 300 characters', () => {
    const cut = cutAtWord('word '.repeat(100), SHORT_ABSTRACT_CHARS);
    expect(cut.endsWith('word…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(SHORT_ABSTRACT_CHARS + 1);
    expect(cutAtWord('short text', SHORT_ABSTRACT_CHARS)).toBe('short text');
  });

  it.each(TEMPLATE_NAMES)(
    '%s: abstracts full, short or none; the AI one-liner wins when there is one',
    async (template) => {
      const render = async (abstracts: 'full' | 'short' | 'none') =>
        textOf(
          (
            await renderDigestNaive(
              digestInput(ranked([withAbstract, withSummary]), {
                preferences: { template, format: 'html', abstracts },
              }),
            )
          ).html!,
        );
      const full = await render('full');
      expect(full).toContain(`${'word '.repeat(99)}word end.`);
      expect(full).toContain('An AI one-liner.');
      expect(full).not.toContain('The long abstract.');
      const short = await render('short');
      expect(short).toContain('word word…');
      expect(short).not.toContain('end.');
      const none = await render('none');
      expect(none).not.toContain('word word');
      expect(none).toContain('An AI one-liner.');
    },
  );

  it.each(TEMPLATE_NAMES)(
    '%s: links title, arXiv, code, project and feedback; shows stats, org and why',
    async (template) => {
      const paper = {
        ...papers[2]!,
        githubRepo: 'https://github.com/a/b',
        githubStars: 1234,
        projectPage: 'https://p.example/x',
        organization: 'Allen AI',
        upvotes: 1,
        comments: 12,
      };
      const input = digestInput(ranked([paper], 'matches: tool use'), {
        preferences: { template, format: 'html', abstracts: 'short' },
      });
      const { html } = await renderDigestNaive(input);
      const links = hrefs(html!);
      expect(links).toContain(`https://huggingface.co/papers/${paper.id}`);
      expect(links).toContain(`https://arxiv.org/abs/${paper.id}`);
      expect(links).toContain('https://github.com/a/b');
      expect(links).toContain('https://p.example/x');
      expect(links).toContain(`https://papers.example.org/feedback/1-${paper.id}-more?a=1&b=2`);
      expect(links).toContain(`https://papers.example.org/feedback/1-${paper.id}-less?a=1&b=2`);
      const text = textOf(html!);
      expect(text).toContain('1 upvote · 12 comments');
      expect(text).toContain('Code ★ 1.2k');
      expect(text).toContain('Allen AI');
      expect(text).toContain('Why this paper: matches: tool use');
      expect(html).toContain('&amp;b=2');
    },
  );
});

describe('footer, quiet day and the public archive', () => {
  it.each(TEMPLATE_NAMES)(
    '%s: footer has preferences, unsubscribe, view in browser and the postal address',
    async (template) => {
      const { html } = await renderDigestNaive(
        digestInput(ranked(papers.slice(0, 2)), {
          preferences: { template, format: 'html', abstracts: 'none' },
        }),
      );
      const links = hrefs(html!);
      for (const url of ['preferences', 'unsubscribe', 'view'].map(
        (p) => `https://papers.example.org/${p}/tok-1`,
      )) {
        expect(links).toContain(url);
      }
      const text = textOf(html!);
      expect(text).toContain('paperboy · 1 Example Street, 00000 Example City');
      expect(text).toContain('Sent to ana@example.org');
    },
  );

  it.each(TEMPLATE_NAMES)(
    '%s: without feedback and unsubscribe links those parts are left out cleanly',
    async (template) => {
      const input = digestInput(ranked(papers.slice(0, 3)), {
        preferences: { template, format: 'html', abstracts: 'short' },
        recipient: undefined,
        links: { viewInBrowser: 'https://papers.example.org/archive/2026-11-26' },
      });
      const { html, text } = await renderDigestNaive(input);
      const visible = textOf(html!);
      for (const gone of [
        'More like this',
        'Less like this',
        'Unsubscribe',
        'Manage preferences',
        'Sent to',
      ]) {
        expect(visible).not.toContain(gone);
        expect(text).not.toContain(gone);
      }
      expect(visible).toContain('3 papers of the day');
      expect(hrefs(html!)).toContain('https://papers.example.org/archive/2026-11-26');
    },
  );

  it.each(TEMPLATE_NAMES)('%s: a quiet day says nothing new matched', async (template) => {
    const { html, text, subject } = await renderDigestNaive(
      digestInput([], { quiet: true, preferences: { template, format: 'html', abstracts: 'short' } }),
    );
    expect(textOf(html!)).toContain('Nothing new matched your topics today');
    expect(text).toContain('Nothing new matched your topics today');
    expect(subject).toContain('nothing new today');
  });

  it("digestLinks turns a subscriber's links into the digest's, view link for the edition date", () => {
    const links = digestLinks(
      {
        preferences: 'https://x/p',
        unsubscribe: 'https://x/u',
        viewInBrowser: (d) => `https://x/v/${d}`,
        feedback: (id, v) => `https://x/f/${id}/${v}`,
      },
      '2026-11-26',
    );
    expect(links.viewInBrowser).toBe('https://x/v/2026-11-26');
    expect(links.feedback?.('1', 'less')).toBe('https://x/f/1/less');
  });

  it('safeUrl lets only absolute http(s) URLs through', () => {
    expect(safeUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
    expect(safeUrl('HTTP://example.org')).toBe('http://example.org/');
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      '//evil.example',
      'ftp://x',
      '',
      null,
    ]) {
      expect(safeUrl(bad)).toBeNull();
    }
  });
});

describe('plain-text part', () => {
  it('lists every paper with its links, why and feedback, then the footer', async () => {
    const chosen = papers.slice(0, 3);
    const { text, html } = await renderDigestNaive(
      digestInput(ranked(chosen), {
        preferences: { template: 'classic', format: 'text', abstracts: 'short' },
      }),
    );
    expect(html).toBeUndefined();
    expect(text).toMatch(/^paperboy · Daily digest\nThursday, 26 November 2026\n3 papers picked for you\n/);
    chosen.forEach((p, i) => {
      expect(text).toContain(`${i + 1}. ${p.title}\n   https://huggingface.co/papers/${p.id}\n`);
      expect(text).toContain(`   More like this: https://papers.example.org/feedback/1-${p.id}-more?a=1&b=2`);
    });
    expect(text).toContain('Why this paper: matches: multi-agent, tool use');
    expect(text).toContain('Unsubscribe: https://papers.example.org/unsubscribe/tok-1');
    expect(text).not.toMatch(/&amp;|<\/?\w+>/);
  });
});

describe('size', () => {
  it.each(TEMPLATE_NAMES)(
    "%s: a 20-paper digest with full abstracts stays under Gmail's 102 KB clipping limit",
    async (template) => {
      const long = generatePapers(20, { seed: 9 }).map((p) => ({
        ...p,
        aiSummary: null,
        abstract: `${p.abstract} `.repeat(6).slice(0, 1900),
        title: `${p.title} ${p.title}`.slice(0, 200),
        authors: [...p.authors, ...p.authors, 'Someone Else'],
        githubRepo: `https://github.com/example/${p.id}`,
        projectPage: `https://example.org/project/${p.id}`,
      }));
      const { html } = await renderDigestNaive(
        digestInput(ranked(long), { preferences: { template, format: 'html', abstracts: 'full' } }),
      );
      expect(Buffer.byteLength(html!, 'utf8')).toBeLessThan(102 * 1024);
    },
  );
});
