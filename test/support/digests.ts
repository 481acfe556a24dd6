import type { Paper } from '../../src/papers/paper.js';
import type { RankedPaper } from '../../src/ranking/types.js';
import type { DigestInput } from '../../src/render/digest.types.js';
import { generatePapers, rng } from './generate.js';

/** Papers whose text tries to break out of the HTML, or needs bidi, emoji and CJK to render. */
export function hostilePapers(listedOn = '2026-11-26'): Paper[] {
  const [base] = generatePapers(1, { seed: 7, listedOn });
  const p = (id: string, changes: Partial<Paper>): Paper => ({ ...base!, id, ...changes });
  return [
    p('2611.90001', {
      title: '<script>alert(1)</script> Attention & "quotes" \'single\'',
      abstract: 'An abstract with <b>bold</b> & <script>alert(2)</script> in it.',
      authors: ['<img src=x onerror=alert(3)>', 'Ana "Quote" Garcia'],
      organization: '<svg onload=alert(4)>',
      githubRepo: 'javascript:alert(5)',
      projectPage: 'data:text/html,<script>alert(6)</script>',
      aiSummary: null,
    }),
    p('2611.90002', {
      title: '"><img src=x onerror=alert(1)>',
      githubRepo: ' JAVASCRIPT:alert(1)',
      projectPage: 'https://example.org/"><script>alert(7)</script>',
      aiSummary: 'One-liner with </p><script>alert(8)</script>',
    }),
    p('2611.90003', {
      title: 'نموذج لغوي كبير للتفكير المتعدد الخطوات',
      authors: ['أحمد خالد', 'سارة يوسف', 'مريم علي', 'يوسف حسن', 'ليلى أحمد'],
      organization: 'جامعة الملك عبدالله',
      aiSummary: null,
    }),
    p('2611.90004', {
      title: '大规模语言模型的推理能力研究 🚀🤖',
      abstract: '我们研究了大规模语言模型的推理能力。'.repeat(40),
      authors: ['王伟', '李娜'],
      aiSummary: null,
    }),
    p('2611.90006', {
      title: 'Template tags {{title}} {{#papers}} </mj-text><mj-raw><!-- and \uE000why\uE001 sentinels',
      aiSummary: '{{/papers}} ]]> <![CDATA[ x',
    }),
    p('2611.90005', { title: 'Émojis 👩‍🔬🧬 and ümlauts in Zürich: naïve café résumé', githubRepo: null }),
  ];
}

export interface DigestSample {
  papers: Paper[];
  inputs: DigestInput[];
}

const links = (id: number): DigestInput['links'] => ({
  preferences: `https://papers.example.org/preferences/tok-${id}`,
  unsubscribe: `https://papers.example.org/unsubscribe/tok-${id}`,
  viewInBrowser: `https://papers.example.org/view/tok-${id}`,
  feedback: (paperId, value) => `https://papers.example.org/feedback/${id}-${paperId}-${value}?a=1&b=2`,
});

export function digestInput(papers: RankedPaper[], overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    edition: { date: '2026-11-26', frequency: 'daily' },
    recipient: { email: 'ana@example.org' },
    preferences: { template: 'classic', format: 'html', abstracts: 'short' },
    papers,
    links: links(1),
    sender: { name: 'paperboy', address: '1 Example Street, 00000 Example City' },
    subjectTemplate: '{{date}}: {{topTitle}}{{more}}',
    ...overrides,
  };
}

export const ranked = (papers: Paper[], why = 'matches: multi-agent, tool use'): RankedPaper[] =>
  papers.map((paper, i) => ({ paper, score: 100 - i, why }));

/**
 * Varied subscribers over one edition's papers: both templates, every abstracts option, 0 to 20
 * papers, hostile and RTL papers, quiet days, public (link-less) digests and text-only ones.
 */
export function sampleDigests(count: number, seed = 1): DigestSample {
  const r = rng(seed);
  const papers = [...hostilePapers(), ...generatePapers(60, { seed })];
  const pickN = (n: number) => {
    const chosen = new Set<Paper>();
    while (chosen.size < n) chosen.add(papers[Math.floor(r() * papers.length)]!);
    return [...chosen];
  };
  const inputs: DigestInput[] = [];
  const sizes = [0, 1, 20, 5, 10, 15, 3];
  for (let i = 0; i < count; i++) {
    const n = sizes[i % sizes.length]! === 5 ? 5 + Math.floor(r() * 16) : sizes[i % sizes.length]!;
    const chosen = i % 9 === 4 ? papers.slice(0, Math.max(n, 6)) : pickN(n);
    const publicDigest = i % 11 === 3;
    inputs.push(
      digestInput(
        chosen.map((paper, k) => ({
          paper,
          score: 50 - k,
          why: k % 4 === 3 ? '' : `matches: <${i}> & "${k}"`,
        })),
        {
          edition: { date: '2026-11-26', frequency: (['daily', 'weekdays', 'weekly'] as const)[i % 3]! },
          recipient: publicDigest ? undefined : { email: `reader${i}+tag@example.org` },
          preferences: {
            template: i % 2 === 0 ? 'classic' : 'modern',
            format: i % 13 === 5 ? 'text' : 'html',
            abstracts: (['full', 'short', 'none'] as const)[Math.floor(i / 2) % 3]!,
          },
          quiet: n === 0 || i % 17 === 2,
          links: publicDigest
            ? { viewInBrowser: 'https://papers.example.org/archive/2026-11-26' }
            : { ...links(i), ...(i % 7 === 6 ? { feedback: undefined } : {}) },
          subjectTemplate:
            i % 5 === 1 ? '[paperboy] {{count}} papers, top: {{topTitle}}' : '{{date}}: {{topTitle}}{{more}}',
        },
      ),
    );
  }
  return { papers, inputs };
}
