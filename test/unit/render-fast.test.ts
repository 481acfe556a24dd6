import { describe, expect, it } from 'vitest';
import { asciiJson } from '../../src/ascii-json.js';
import { createDigestRenderer, renderDigestNaive } from '../../src/render/render-digest.js';
import { sampleDigests } from '../support/digests.js';

describe('the fast digest renderer', () => {
  const { inputs } = sampleDigests(64, 11);

  it('covers the cases that could break composition', () => {
    const count = (f: (i: (typeof inputs)[number]) => boolean) => inputs.filter(f).length;
    expect(
      count((i) => i.preferences.template === 'classic' && i.preferences.format === 'html'),
    ).toBeGreaterThanOrEqual(25);
    expect(
      count((i) => i.preferences.template === 'modern' && i.preferences.format === 'html'),
    ).toBeGreaterThanOrEqual(25);
    expect(count((i) => i.papers.length === 0)).toBeGreaterThan(0);
    expect(count((i) => i.papers.length === 1)).toBeGreaterThan(0);
    expect(count((i) => i.papers.length === 20)).toBeGreaterThan(0);
    expect(count((i) => i.quiet === true && i.papers.length > 0)).toBeGreaterThan(0);
    expect(count((i) => i.preferences.format === 'text')).toBeGreaterThan(0);
    expect(count((i) => !i.links.feedback)).toBeGreaterThan(0);
    expect(count((i) => !i.recipient)).toBeGreaterThan(0);
    expect(count((i) => i.papers.some((p) => p.paper.title.includes('<script>')))).toBeGreaterThan(0);
    expect(count((i) => i.papers.some((p) => /[\u0600-\u06ff]/.test(p.paper.title)))).toBeGreaterThan(0);
  });

  it('gives byte for byte what the naive render gives, for 64 varied subscribers and both engines', async () => {
    const fast = createDigestRenderer();
    // Twice over, so the second round runs entirely from the caches the first one filled.
    for (const round of [1, 2]) {
      for (const [n, input] of inputs.entries()) {
        const expected = await renderDigestNaive(input);
        const actual = await fast.render(input);
        const where = `round ${round}, subscriber ${n} (${input.preferences.template}, ${input.papers.length} papers)`;
        expect(actual.subject, where).toBe(expected.subject);
        expect(actual.text, where).toBe(expected.text);
        expect(actual.html === expected.html, where).toBe(true);
        // What the Resend transport posts for the text and the HTML: the same, as JSON, in ASCII.
        expect(actual.textJson!.of === actual.text, where).toBe(true);
        expect(actual.textJson!.json === asciiJson(actual.text), where).toBe(true);
        if (actual.html !== undefined) {
          expect(actual.htmlJson!.of === actual.html, where).toBe(true);
          expect(actual.htmlJson!.json === JSON.stringify(actual.html), where).toBe(true);
        }
      }
    }
  }, 120_000);

  it('renders concurrent calls for the same new template shape consistently', async () => {
    const fast = createDigestRenderer();
    const some = inputs.filter((i) => i.preferences.format === 'html').slice(0, 12);
    const [expected, actual] = await Promise.all([
      Promise.all(some.map((i) => renderDigestNaive(i))),
      Promise.all(some.map((i) => fast.render(i))),
    ]);
    expect(actual.map((r) => r.html)).toEqual(expected.map((r) => r.html));
  });
});
