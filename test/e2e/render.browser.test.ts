import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDigestNaive } from '../../src/render/render-digest.js';
import { TEMPLATE_NAMES } from '../../src/subscribers/preferences.js';
import { launchChromium } from '../support/browser.js';
import { digestInput, hostilePapers, ranked } from '../support/digests.js';
import { generatePapers } from '../support/generate.js';

const SCREENSHOTS = path.resolve('test-results/screenshots');

let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

// Hostile, right-to-left, CJK and long-abstract papers first, so the screenshots show the hard cases.
const papers = ranked([...hostilePapers(), ...generatePapers(7, { seed: 3 })]);

describe.each(TEMPLATE_NAMES)('the %s digest in Chromium', (template) => {
  it.each([600, 375])(
    'renders at %i px wide with every title visible and nothing overflowing',
    async (width) => {
      const input = digestInput(papers, { preferences: { template, format: 'html', abstracts: 'short' } });
      const { html } = await renderDigestNaive(input);
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        let dialogs = 0;
        page.on('dialog', (d) => {
          dialogs++;
          void d.dismiss();
        });
        await page.setContent(html!, { waitUntil: 'load' });
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(width);
        for (const { paper } of papers) {
          const title = page.locator(`a[href="https://huggingface.co/papers/${paper.id}"]`).first();
          await expect(title.isVisible()).resolves.toBe(true);
          const box = await title.boundingBox();
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width).toBeLessThanOrEqual(width + 0.5);
        }
        // The hostile titles are shown as text, not run.
        await expect(
          page.getByText('<script>alert(1)</script>', { exact: false }).count(),
        ).resolves.toBeGreaterThan(0);
        expect(dialogs).toBe(0);
        // As the browser parsed it: nothing that runs, and only http(s) links.
        const risky = await page.evaluate(() => ({
          scripts: document.querySelectorAll('script, iframe, object, embed').length,
          handlers: Array.from(document.querySelectorAll('*')).flatMap((e) =>
            Array.from(e.attributes)
              .filter((a) => a.name.startsWith('on'))
              .map((a) => a.name),
          ),
          links: Array.from(document.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? ''),
        }));
        expect(risky.scripts).toBe(0);
        expect(risky.handlers).toEqual([]);
        expect(risky.links.filter((l) => !/^https?:\/\//.test(l))).toEqual([]);
        await page.screenshot({
          path: path.join(SCREENSHOTS, `digest-${template}-${width}.png`),
          fullPage: true,
        });
        await page.screenshot({ path: path.join(SCREENSHOTS, `digest-${template}-${width}-top.png`) });
      } finally {
        await page.close();
      }
    },
  );
});
