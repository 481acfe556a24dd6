import { describe, expect, it } from 'vitest';
import { asciiHtml } from '../../src/render/escape.js';
import { renderDigestNaive } from '../../src/render/render-digest.js';
import { TEMPLATE_NAMES } from '../../src/subscribers/preferences.js';
import { digestInput, hostilePapers, ranked } from '../support/digests.js';
import { dangerousParts, hrefs, textOf } from '../support/html.js';

const papers = ranked(hostilePapers(), 'matches: <b onmouseover=alert(9)>x</b> & "y"');

describe.each(TEMPLATE_NAMES)('feed text in the %s digest', (template) => {
  for (const abstracts of ['full', 'short', 'none'] as const) {
    it(`is escaped, never run (abstracts: ${abstracts})`, async () => {
      const { html } = await renderDigestNaive(
        digestInput(papers, { preferences: { template, format: 'html', abstracts } }),
      );
      const found = dangerousParts(html!);
      expect(found.scripts).toEqual([]);
      expect(found.handlers).toEqual([]);
      expect(found.badLinks).toEqual([]);
      expect(found.injected).toBe(0);
      expect(html).not.toMatch(/javascript:/i);
      expect(html).not.toMatch(/<script/i);
    });
  }

  it('shows hostile titles as the text they are', async () => {
    const { html } = await renderDigestNaive(
      digestInput(papers, { preferences: { template, format: 'html', abstracts: 'full' } }),
    );
    const text = textOf(html!);
    expect(text).toContain('<script>alert(1)</script> Attention & "quotes" \'single\'');
    expect(text).toContain('"><img src=x onerror=alert(1)>');
    expect(text).toContain('<img src=x onerror=alert(3)>, Ana "Quote" Garcia');
    expect(text).toContain('matches: <b onmouseover=alert(9)>x</b> & "y"');
  });

  it('links only http(s) URLs: javascript: and data: code and project links are dropped', async () => {
    const { html } = await renderDigestNaive(
      digestInput(papers, { preferences: { template, format: 'html', abstracts: 'none' } }),
    );
    const links = hrefs(html!);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(link).toMatch(/^https?:\/\//);
    // The one safe project page survives, with its quote and brackets encoded.
    expect(links).toContain('https://example.org/%22%3E%3Cscript%3Ealert(7)%3C/script%3E');
  });

  it('renders right-to-left, CJK and emoji titles intact, marked dir="auto"', async () => {
    const { html } = await renderDigestNaive(
      digestInput(papers, { preferences: { template, format: 'html', abstracts: 'short' } }),
    );
    for (const title of [
      'نموذج لغوي كبير للتفكير المتعدد الخطوات',
      '大规模语言模型的推理能力研究 🚀🤖',
      'Émojis 👩‍🔬🧬 and ümlauts in Zürich: naïve café résumé',
    ]) {
      expect(textOf(html!)).toContain(title);
    }
    // Written as character references: the HTML itself is all ASCII.
    expect(html).toMatch(new RegExp(`dir="auto"[^>]*>(<a [^>]*>)?${asciiHtml('نموذج لغوي')}`));
    expect(html).toMatch(/^[\t\n\r\x20-\x7e]*$/);
    expect(html).toMatch(/<html[^>]* lang="en"/);
  });
});
